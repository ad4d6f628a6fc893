# A lab's exchanges and documents (issue 10, decision 0040).
labscope-exchanges = Exchanges
labscope-documents = Documents
labscope-no-threads = There are no threads in the lab yet.
labscope-no-documents = There are no documents in the lab yet.
labscope-threads-all = All threads ({ $count })
labscope-documents-all = All documents ({ $count })
labscope-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
labscope-revisions = { $count ->
    [one] { $count } revision
   *[other] { $count } revisions
}
labscope-members-only = A lab's exchanges and documents are for its experts, enrolled participants, facilitators and coordination.
labscope-documents-intro = The lab's documents: every save is a revision, with the history and a comparison between any two revisions.
