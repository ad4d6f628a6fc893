# Two-step verification: TOTP and recovery codes (decision 0060)

# Second step of logging in
login-code-title = Two-step verification
login-code-intro = Open the authenticator app on your phone and type Reti's 6-digit code. If you do not have your phone with you, use one of your recovery codes.
field-login-code = Code
login-code-hint = The 6 digits the app shows, or a recovery code (for example abcd-efgh-jkmn-pqrs).
login-code-submit = Verify
login-code-failed = Invalid or already used code: check that your phone's clock is right and try again with the new code.
login-code-throttled = Too many invalid codes: wait 15 minutes and try again.
login-code-expired = The verification has expired: log in again with your e-mail and password.
login-code-cancel = Cancel and go back to log in

# Profile
mfa-title = Two-step verification
mfa-intro = As well as your password, we ask at login for a code that changes every 30 seconds, made by an authenticator app on your phone (for example Aegis, FreeOTP, Google Authenticator or Microsoft Authenticator).
mfa-required = Your role requires this protection.
mfa-off = It is off.
mfa-setup = Turn on two-step verification
mfa-pending = Being turned on. Add an account in your authenticator app: scan the QR code, or copy the address or type the key below by hand; then type the code the app shows, to confirm.
mfa-secret = Key to type into the app
mfa-uri = Address to paste into the app
field-enable-code = Code the app shows
mfa-enable = Confirm and turn on
mfa-restart = Make a new key
mfa-on = On since { $date }.
mfa-codes-left = { $count ->
    [one] You have one recovery code left.
   *[other] You have { $count } recovery codes left.
}
mfa-codes-title = Your recovery codes
mfa-codes-intro = Each works once, instead of the app's code, if you lose your phone. Print them or keep them somewhere safe: they will not be shown again.
mfa-enabled = Two-step verification is on: from your next login we will ask for the app's code.
mfa-renew = Make new recovery codes
field-renew-code = Current code from the app
mfa-renew-hint = The previous recovery codes stop working.
mfa-disable = Turn off two-step verification
field-disable-code = Current code from the app, or a recovery code
field-disable-password = Or your password
mfa-disable-hint = Either one is enough.
flash-mfa-disabled = Two-step verification turned off.
error-mfa-code = Invalid or already used code.
error-mfa-throttled = Too many invalid codes: wait 15 minutes and try again.
error-mfa-confirm = Type a code from the app or your password.
mfa-qr-label = QR code to scan with the authenticator app: it holds the same address and key written below.
