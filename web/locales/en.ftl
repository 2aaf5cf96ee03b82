# CodeHub's UI in English. Every message here must also be in every other catalogue
# (checked by `cargo test -p codehub-web`).

## Shell
nav-contests = Contests
nav-practice = Practice
nav-admin = Admin
nav-sign-in = Sign in
nav-register = Register
nav-sign-out = Sign out
theme-dark = ☾ Dark
theme-light = ☀ Light
skip-to-content = Skip to content
nav-main = Main
nav-account = Your account
theme = Theme
theme-toggle = Toggle dark and light theme
not-found = Not found
not-found-text = No such page.
back-to-contests = Back to the contests
language = Language

## Common
common-loading = Loading…
common-back-to-contest = ← Contest
common-back-to-practice = ← Practice
# A team whose name is not known (yet).
common-team-fallback = team { $id }
common-cannot-read-file = Cannot read the file.
# The errors of the connection to the server ($error: what failed, not translated).
api-unreachable = cannot reach the server: { $error }
api-unexpected-answer = unexpected answer: { $error }

## Names: roles, contest states, submission states, verdicts
role-spectator = spectator
role-contestant = contestant
role-jury = jury
role-admin = admin
contest-state-scheduled = scheduled
contest-state-running = running
contest-state-frozen = frozen
contest-state-ended = ended
status-queued = queued
status-compiling = compiling
status-running = running
status-judging = judging
status-done = done
status-running-test = running test { $test }/{ $total }
verdict-accepted = Accepted
verdict-wrong-answer = Wrong answer
verdict-time-limit-exceeded = Time limit exceeded
verdict-memory-limit-exceeded = Memory limit exceeded
verdict-run-time-error = Run-time error
verdict-compilation-error = Compilation error
verdict-output-limit-exceeded = Output limit exceeded
verdict-judge-error = Judge error
# Countdowns ($time and the others: a duration such as 01:02:03).
countdown-starts-in = starts in { $time }
countdown-freezes-in = freezes in { $freeze }, ends in { $end }
countdown-ends-in = ends in { $time }
countdown-frozen = scoreboard frozen · ends in { $time }
countdown-ended = ended

## Sign in
auth-sign-in-title = Sign in
auth-register-title = Create an account
auth-have-account = Have an account?
auth-to-sign-in = Sign in
auth-new-here = New here?
auth-to-register = Create an account
auth-username = User name
auth-password = Password
auth-new-password = Password (12–128 characters)
auth-show-password = Show password
auth-sign-in-with = Sign in with { $provider }
auth-or = Or
auth-signing-in = Signing in…
auth-back-to-sign-in = Back to sign-in

## Account
account-title = Account
account-sign-in = Sign in
# Follows the link "account-sign-in" (starts with a space where the language needs one).
account-sign-in-to = {" "}to see your account.
account-signed-in-as = Signed in as
account-public-profile = Your public profile
account-profile = Profile
account-display-name = Display name
account-affiliation = Affiliation
account-country = Country (ISO 3166 alpha-3, e.g. SWE)
account-about = About you
account-save-profile = Save profile
account-profile-saved = Profile saved.
account-avatar = Avatar (PNG, JPEG or WebP, at most 2 MiB)
account-avatar-saved = Avatar saved.
account-how-sign-in = How you sign in
account-has-password = You can sign in with your password.
account-no-password = No password yet: you sign in through a provider. Set one below if you like.
account-linked = · linked
account-not-linked = · not linked
account-link = Link
account-unlink = Unlink
account-unlinked = Unlinked { $provider }.
account-password = Password
account-current-password = Current password
account-new-password = New password (12–128 characters)
account-change-password = Change password
account-password-changed = Password changed; every other session is signed out.
account-sessions = Sessions
account-sessions-text = Signing out everywhere ends every session of this account, on every device.
account-sign-out-everywhere = Sign out everywhere
account-delete-title = Delete your account
account-delete-text = Your name, password, profile, avatar and linked sign-ins are removed. Submissions stay, without your name, so contest results stay whole. This cannot be undone.
account-confirm-name = Type your user name to confirm
account-confirm-password = Password
account-delete = Delete my account

## Profile
submissions-last-year = { $count ->
    [one] { $count } submission in the last year
   *[other] { $count } submissions in the last year
}
profile-affiliation = Affiliation
profile-country = Country
profile-rating = Rating
profile-rating-history = Rating history, { $low } to { $high }
profile-activity = Activity
profile-by-difficulty = By difficulty
profile-by-tag = By tag
profile-recent = Recent submissions
profile-solved = Solved ({ $count })
profile-nothing-yet = Nothing yet.
profile-contests = Contests
profile-virtual = (virtual)

## Contests
contests-title = Contests
contests-none = No contests yet.
contests-scoreboard-link = Scoreboard →
contest-penalty = · penalty { $minutes } min
contest-scoreboard = Scoreboard
contest-my-submissions = My submissions
contest-clarifications = Clarifications
contest-resolver = Resolver
contest-balloons = Balloons
contest-register = Register
contest-registered = You are registered.
contest-take-virtually = Take it virtually
contest-sign-in-to-compete = Sign in to compete
contest-problems = Problems
contest-problem = Problem
contest-limits = Limits
contest-problem-fallback = Problem { $id }
contest-problems-later = The problems appear when the contest starts.
contest-awards = Awards
contest-rating-changes = Rating changes
contest-ratings-who = Who
contest-ratings-performance = Performance
contest-ratings-rating = Rating
contest-ratings-change = Change
contest-ratings-pending = Ratings change once the jury finalises them.
contest-finalise-ratings = Finalise ratings

## Problem
problem-statement-language = Statement in
problem-limits = Time { $time } · memory { $memory } · code { $code }
problem-samples = Samples
problem-sample-input = Sample input { $number }
problem-sample-output = Sample output { $number }
problem-copy = Copy
problem-copy-sample-input = Copy sample input { $number }
problem-copy-sample-output = Copy sample output { $number }
problem-sign-in = Sign in
# Follows the link "problem-sign-in".
problem-sign-in-to = {" "}to submit a solution.
problem-submit-title = Submit
problem-language = Language
problem-language-unavailable = { $name } (unavailable)
problem-upload-file = Upload a file
problem-submit = Submit
problem-submitting = Submitting…
problem-my-submissions = My submissions
problem-write-first = Write or upload a solution first.
# $reason: the server's rule for file names (not translated).
problem-cannot-upload = Cannot upload this file: { $reason }.
problem-unknown-extension = Cannot upload `{ $name }`: `.{ $ext }` is the extension of no language here (known: .{ $known }; case matters).
problem-submit-answers = Submit answers
problem-output-only = This problem is output-only: upload one answer file per test case ({ $files }); a sample's may be left out.
problem-answer-files = Answer files
problem-choose-answer-files = Choose your answer files first.
problem-not-an-answer-file = `{ $name }` is not an answer file of this problem; its answer files are { $expected }.
problem-chosen-twice = `{ $name }` is chosen twice.
problem-cannot-read = Cannot read `{ $name }`.
problem-live-submission = Submission #{ $id }:
problem-connecting = (connecting…)
problem-tests-summary = { $count } test(s) run · slowest { $time } · peak { $memory }
problem-compiler-output = Compiler output
problem-test = Test
problem-verdict = Verdict
problem-time = Time
problem-memory = Memory
problem-hints = Hints
problem-hint = Hint { $number }
problem-show-hint = Show a hint ({ $shown } of { $total })
problem-editorial = Editorial
problem-editorial-locked = The editorial opens once you solve the problem.
problem-show-editorial = Show the editorial now
problem-run = Run
problem-run-input = Input for your program
problem-run-on-input = Run on this input
problem-running = Running…
problem-run-sample = Run sample { $number }
problem-run-finished = Finished
problem-run-exit-code = · exit code { $code }
# Marks output that was cut short.
problem-run-cut = {"["}… cut]
problem-run-error-output = Error output
problem-run-expected = Expected
problem-run-output = Output

## Submissions
submissions-title = My submissions
submissions-sign-in = Sign in
# Follows the link "submissions-sign-in".
submissions-sign-in-to = {" "}to see your submissions.
submissions-none = No submissions yet.
submissions-id = Id
submissions-time = Time
submissions-problem-column = Problem
submissions-language = Language
submissions-verdict = Verdict
submissions-progress = Progress
submissions-score = Score
submissions-problem = Problem { $id }

## Scoreboard
scoreboard-title = Scoreboard
scoreboard-link-title = Live connection
scoreboard-link-live = live
scoreboard-link-connecting = connecting
scoreboard-link-reconnecting = reconnecting
scoreboard-follow = Follow
scoreboard-follow-nobody = nobody
scoreboard-jury-view = Jury view (live, unfrozen)
scoreboard-teams = { $count ->
    [one] { $count } team
   *[other] { $count } teams
}
scoreboard-frozen = The scoreboard is frozen: results of later submissions show as pending until the jury unfreezes it.
scoreboard-team = Team
scoreboard-solved = Solved
scoreboard-score = Score
scoreboard-time = Time
scoreboard-no-teams = No teams yet.
scoreboard-bad-snapshot = bad snapshot: { $error }

## Clarifications
clarifications-title = Clarifications
clarifications-sign-in = Sign in
# Follows the link "clarifications-sign-in".
clarifications-sign-in-to = {" "}to ask the jury.
clarifications-question-about = Question about
clarifications-announcement-about = Announcement about
clarifications-general = General
clarifications-problem = Problem { $label }
clarifications-question-placeholder = Your question to the jury (Markdown)
clarifications-announcement-placeholder = Announcement to every team (Markdown)
clarifications-ask = Ask
clarifications-announce = Announce
clarifications-none = No clarifications yet.
clarifications-new-question = New question from { $team }
clarifications-jury-answered = The jury answered
clarifications-new-announcement = New announcement from the jury
clarifications-dismiss = Dismiss
clarifications-asks = { $team } asks
clarifications-answer-private = Jury answer (private)
clarifications-answer-to-everyone = Jury answer (to everyone)
clarifications-jury-message = Jury message
clarifications-announcement = Announcement
clarifications-answered = answered
clarifications-waiting = waiting
clarifications-note-placeholder = Jury note (teams never see it)
clarifications-add-note = Add note
clarifications-claim = Claim
clarifications-claimed = Claimed
clarifications-answer-placeholder = Answer (Markdown)
clarifications-canned = …or a predefined answer
clarifications-to-every-team = To every team
clarifications-answer = Answer

## Practice
practice-title = Practice
practice-intro = Problems open for practice at any time.
practice-my-submissions = My practice submissions
practice-search = Search by name
practice-tag = Tag
practice-any-tag = Any tag
practice-difficulty-at-most = Difficulty at most
practice-any-difficulty = Any difficulty
practice-sort = Sort
practice-sort-name = By name
practice-sort-difficulty = Easiest first
practice-sort-solved = Most solved
practice-sort-acceptance = Highest acceptance
practice-sort-newest = Newest
practice-unsolved-only = Unsolved only
practice-no-match = No problem matches.
practice-summary = { $count ->
    [one] { $count } problem
   *[other] { $count } problems
} · page { $page } of { $pages }
practice-status = Status
practice-problem = Problem
practice-tags = Tags
practice-difficulty = Difficulty
practice-solved-by = Solved by
practice-acceptance = Acceptance
practice-previous = ← Previous
practice-next = Next →
practice-solved = ✓ solved
practice-solved-title = Solved
practice-tried-title = Tried
practice-tries = { $count ->
    [one] { $count } try
   *[other] { $count } tries
}

## Editor
editor-source-code = Source code (Tab indents; Escape then Tab leaves; Ctrl+F finds)
editor-find = Find
editor-replace-with = Replace with
editor-next = Next
editor-replace = Replace
editor-replace-all = Replace all
editor-close-find = Close find
editor-found = { $count } found
editor-not-found = not found
editor-replaced = { $count } replaced

## Virtual contest
virtual-title = { $contest } — virtual
virtual-clock = Your clock: { $elapsed } elapsed, { $left } left
virtual-over = Your virtual contest is over.
virtual-submit-from-problems = Submit from each problem's page: submissions made on your clock count here.
virtual-ghost-board = Ghost board
virtual-team = Team
virtual-total = Total

## Balloons
balloons-title = Balloons
balloons-show-delivered = Show delivered
balloons-none = No balloons to deliver.
balloons-judged = Judged
balloons-problem = Problem
balloons-team = Team
balloons-first-to-solve = first to solve
balloons-mark-delivered = Mark delivered
balloons-delivered = Delivered ✓

## Resolver
resolver-title = Resolver
resolver-back = ← Back
resolver-reveal = Reveal →
resolver-following = Following the jury
resolver-load-feed = Load event feed…
resolver-team = Team
resolver-solved-column = Solved
resolver-time = Time
resolver-at-the-freeze = The board at the freeze. Press Space to reveal.
resolver-solved = Solved: { $team } → rank { $rank }
resolver-not-solved = Not solved: { $team } → rank { $rank }
resolver-final-standings = Final standings
resolver-not-following = spectators are not following: { $error }
resolver-cannot-read-file = cannot read the file
resolver-feed-bad-line = line { $line }: not a JSON event ({ $error })
resolver-icpc-only = the resolver reveals ICPC (pass-fail) boards only
resolver-no-duration = the contest has no duration

## Admin
admin-title = Admin
admin-jury-only = This page is for the jury.
admin-sign-in = Sign in
admin-queue = Judge queue
admin-queue-waiting = Waiting
admin-queue-judging = Judging
admin-queue-judges = Judges
admin-contests = Contests
admin-contest = Contest
admin-new-contest = New contest…
admin-contest-slug = Short name
admin-contest-name = Name
admin-contest-rules = Rules
admin-contest-start = Start
admin-contest-end = End
admin-contest-freeze = Freeze (optional)
admin-contest-penalty = Penalty minutes
admin-contest-rated = Rated (finalise ratings on the contest's page once it is over)
admin-contest-allow-runs = Participants may run code on custom input during it
admin-contest-problems = Problems (LABEL=id, …)
admin-contest-save = Save
admin-contest-create = Create
admin-freeze-now = Freeze now
admin-unfreeze = Unfreeze
admin-start-end-required = Start and end are required.
admin-penalty-whole = Penalty must be a whole number of minutes.
admin-problems-syntax = `{ $item }`: write LABEL=problem id, e.g. A=1
admin-problems-bad-id = `{ $item }`: `{ $id }` is not a problem id
admin-contest-saved = Contest { $id } saved.
admin-contest-created = Contest { $id } created.
admin-frozen-now = Frozen now.
admin-unfrozen = Unfrozen: the final board is public.
admin-import-title = Import a problem package
admin-import-package = Package (.zip: Kattis legacy or 2023-07, or Polygon)
admin-import-slug = Short name (optional)
admin-import-practice = Open for practice
admin-import = Import
admin-importing = Importing…
admin-choose-package = Choose a package .zip first.
admin-imported = Imported problem { $id } “{ $name }”.
# $notes: what the import could not convert (not translated).
admin-imported-with-notes = Imported problem { $id } “{ $name }”. Not converted: { $notes }
admin-problems = Problems
admin-problem-practice = · practice
admin-rejudge-title = Rejudge
admin-rejudge-id = Submission id
admin-rejudge = Rejudge
admin-give-submission-id = Give a submission id.
admin-rejudge-queued = Submission { $id } queued for rejudging.
admin-editorial-title = Editorial and hints
admin-editorial-problem = Problem id
admin-editorial-load = Load
admin-editorial-text = Editorial (Markdown, LaTeX)
admin-editorial-hints = Hints, one per block, blocks separated by a line `---`
admin-editorial-save = Save
admin-give-problem-id = Give a problem id.
# $editorial: "written" or "empty".
admin-editorial-saved = Saved: { $hints } hint(s), editorial { $editorial ->
        [written] written
       *[empty] empty
    }.

## Users and audit log (admin)
users-title = Users
users-search-placeholder = Search by name
users-search-label = Search users
users-search = Search
users-count = { $count ->
    [one] { $count } user
   *[other] { $count } users
}
users-user = User
users-role = Role
users-state = State
users-state-active = active
users-state-disabled = disabled
users-enable = Enable
users-disable = Disable
users-reset-password = Reset password
users-enabled = { $user } enabled.
users-disabled = { $user } disabled.
users-role-changed = { $user } has a new role.
users-new-password = New password for { $user }: { $password } (shown once)
audit-title = Audit log
audit-none = No administrator actions yet.
audit-when = When
audit-who = Who
audit-what = What
audit-on = On
