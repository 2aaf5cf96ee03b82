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

## Profile
submissions-last-year = { $count ->
    [one] { $count } submission in the last year
   *[other] { $count } submissions in the last year
}
