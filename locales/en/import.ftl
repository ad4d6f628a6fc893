import-more-errors = { $count ->
    [one] …and one more error, not listed.
   *[other] …and { $count } more errors, not listed.
}
