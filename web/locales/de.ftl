# Die Oberfläche von CodeHub auf Deutsch.

## Shell
nav-contests = Wettbewerbe
nav-practice = Üben
nav-admin = Verwaltung
nav-sign-in = Anmelden
nav-register = Registrieren
nav-sign-out = Abmelden
theme-dark = ☾ Dunkel
theme-light = ☀ Hell
skip-to-content = Zum Inhalt springen
nav-main = Hauptmenü
nav-account = Dein Konto
theme = Farbschema
theme-toggle = Zwischen dunklem und hellem Farbschema wechseln
not-found = Nicht gefunden
not-found-text = Diese Seite gibt es nicht.
back-to-contests = Zurück zu den Wettbewerben
language = Sprache

## Profile
submissions-last-year = { $count ->
    [one] { $count } Einreichung im letzten Jahr
   *[other] { $count } Einreichungen im letzten Jahr
}
