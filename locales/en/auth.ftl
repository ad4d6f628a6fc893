# Access security: passwords, tokens, attempt limits.

error-password-weak = “{ $field }” is easy to guess: add another word or two, uncommon ones.
error-password-common = “{ $field }” is one of the most used passwords, or very like one: choose another, such as a phrase of several words.
error-password-keyboard = “{ $field }” follows keys on the keyboard, which are easy to guess: use a few words instead.
error-password-repeats = “{ $field }” repeats the same characters or words: avoid repeats.
error-password-sequence = “{ $field }” contains sequences like abc or 6543, which are easy to guess.
error-password-dates = “{ $field }” contains years or dates, which are easy to guess: avoid them.
error-password-word = “{ $field }” is a single word, which is easy to guess: add another word or two.
error-password-names = “{ $field }” is made of names and surnames, which are easy to guess: add uncommon words.
password-throttled = Too many attempts. Try again in a few minutes.
field-token-days = Lifetime (days)
token-days-hint = From 1 to 365 days; the token stops working when it expires.
token-expires = Expires
token-expired = Expired
error-token-days = “{ $field }” must be a number of days from 1 to 365.
