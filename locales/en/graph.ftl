graph-file-empty = { $file }: the file is empty; line 1 must be the header "source,target".
graph-header = { $file }, line 1: the header must be "source,target", found "{ $found }".
graph-columns = { $file }, line { $line }: two values are needed, source and target; found { $count }.
graph-empty-id = { $file }, line { $line }: { $column } is empty; every edge joins two named nodes.
graph-unreadable = { $file }, line { $line }: unreadable line ({ $reason }).
graph-no-edges = { $file }: no edges after the header.
graph-duplicate = { $file }, line { $line }: the edge "{ $source }" – "{ $target }" is there already; ignored.
graph-self-loop = { $file }, line { $line }: "{ $source }" is linked to itself; edge ignored.
graph-more-skipped = { $count ->
    [one] …and one more ignored edge, not listed.
   *[other] …and { $count } more ignored edges, not listed.
}
graph-refused = { $count ->
    [one] No metrics computed: one line needs fixing.
   *[other] No metrics computed: { $count } lines need fixing.
}
