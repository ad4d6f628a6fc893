nav-jobs = Job queue
jobs-title = Job queue
jobs-intro = Work done after the request that asked for it, such as sending e-mail. A failed job is retried with growing waits; once out of attempts it stays put until retried from here.
jobs-counts = Jobs by status
jobs-status = Status
jobs-any-status = All
jobs-filter = Filter
jobs-count = { $count ->
    [0] No jobs.
    [one] One job.
   *[other] { $count } jobs.
}
jobs-kind = Kind
jobs-attempts = Attempts
jobs-run-at = Due from
jobs-updated-at = Last change
jobs-last-error = Last error
jobs-actions = Actions
jobs-retry = Retry
jobs-retried = The job is queued again.
jobs-status-queued = Queued
jobs-status-running = Running
jobs-status-done = Done
jobs-status-failed = Failed
jobs-status-dead = Dead
