# Pages that stay fast as the data grows (issue 6, decision 0037).
audit-count-more = More than { $count } changes found.
