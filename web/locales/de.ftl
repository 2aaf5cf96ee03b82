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

## Common
common-loading = Wird geladen…
common-back-to-contest = ← Wettbewerb
common-back-to-practice = ← Üben
common-team-fallback = Team { $id }
common-cannot-read-file = Die Datei kann nicht gelesen werden.
api-unreachable = Server nicht erreichbar: { $error }
api-unexpected-answer = Unerwartete Antwort: { $error }

## Names: roles, contest states, submission states, verdicts
role-spectator = Zuschauer
role-contestant = Teilnehmer
role-jury = Jury
role-admin = Admin
contest-state-scheduled = geplant
contest-state-running = läuft
contest-state-frozen = eingefroren
contest-state-ended = beendet
status-queued = wartet
status-compiling = wird kompiliert
status-running = läuft
status-judging = wird bewertet
status-done = fertig
status-running-test = Test { $test }/{ $total } läuft
verdict-accepted = Akzeptiert
verdict-wrong-answer = Falsche Antwort
verdict-time-limit-exceeded = Zeitlimit überschritten
verdict-memory-limit-exceeded = Speicherlimit überschritten
verdict-run-time-error = Laufzeitfehler
verdict-compilation-error = Kompilierfehler
verdict-output-limit-exceeded = Ausgabelimit überschritten
verdict-judge-error = Fehler im Bewertungssystem
countdown-starts-in = beginnt in { $time }
countdown-freezes-in = wird eingefroren in { $freeze }, endet in { $end }
countdown-ends-in = endet in { $time }
countdown-frozen = Rangliste eingefroren · endet in { $time }
countdown-ended = beendet

## Sign in
auth-sign-in-title = Anmelden
auth-register-title = Konto erstellen
auth-have-account = Schon ein Konto?
auth-to-sign-in = Anmelden
auth-new-here = Neu hier?
auth-to-register = Konto erstellen
auth-username = Benutzername
auth-password = Passwort
auth-new-password = Passwort (12–128 Zeichen)
auth-show-password = Passwort anzeigen
auth-sign-in-with = Mit { $provider } anmelden
auth-or = Oder
auth-signing-in = Anmeldung läuft…
auth-back-to-sign-in = Zurück zur Anmeldung

## Account
account-title = Konto
account-sign-in = Melde dich an
account-sign-in-to = , um dein Konto zu sehen.
account-signed-in-as = Angemeldet als
account-public-profile = Dein öffentliches Profil
account-profile = Profil
account-display-name = Anzeigename
account-affiliation = Organisation
account-country = Land (ISO 3166 alpha-3, z. B. DEU)
account-about = Über dich
account-save-profile = Profil speichern
account-profile-saved = Profil gespeichert.
account-avatar = Avatar (PNG, JPEG oder WebP, höchstens 2 MiB)
account-avatar-saved = Avatar gespeichert.
account-how-sign-in = Wie du dich anmeldest
account-has-password = Du kannst dich mit deinem Passwort anmelden.
account-no-password = Noch kein Passwort: Du meldest dich über einen Anbieter an. Wenn du möchtest, lege unten eines fest.
account-linked = · verknüpft
account-not-linked = · nicht verknüpft
account-link = Verknüpfen
account-unlink = Trennen
account-unlinked = Verknüpfung mit { $provider } getrennt.
account-password = Passwort
account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort (12–128 Zeichen)
account-change-password = Passwort ändern
account-password-changed = Passwort geändert; alle anderen Sitzungen sind abgemeldet.
account-sessions = Sitzungen
account-sessions-text = „Überall abmelden“ beendet jede Sitzung dieses Kontos auf jedem Gerät.
account-sign-out-everywhere = Überall abmelden
account-delete-title = Dein Konto löschen
account-delete-text = Dein Name, dein Passwort, dein Profil, dein Avatar und deine verknüpften Anmeldungen werden entfernt. Einreichungen bleiben ohne deinen Namen erhalten, damit die Wettbewerbsergebnisse vollständig bleiben. Das kann nicht rückgängig gemacht werden.
account-confirm-name = Gib zur Bestätigung deinen Benutzernamen ein
account-confirm-password = Passwort
account-delete = Mein Konto löschen

## Profile
submissions-last-year = { $count ->
    [one] { $count } Einreichung im letzten Jahr
   *[other] { $count } Einreichungen im letzten Jahr
}
profile-affiliation = Organisation
profile-country = Land
profile-rating = Wertung
profile-rating-history = Wertungsverlauf, { $low } bis { $high }
profile-activity = Aktivität
profile-by-difficulty = Nach Schwierigkeit
profile-by-tag = Nach Schlagwort
profile-recent = Letzte Einreichungen
profile-solved = Gelöst ({ $count })
profile-nothing-yet = Noch nichts.
profile-contests = Wettbewerbe
profile-virtual = (virtuell)

## Contests
contests-title = Wettbewerbe
contests-none = Noch keine Wettbewerbe.
contests-scoreboard-link = Rangliste →
contest-penalty = · Strafzeit { $minutes } min
contest-scoreboard = Rangliste
contest-my-submissions = Meine Einreichungen
contest-clarifications = Rückfragen
contest-resolver = Resolver
contest-balloons = Ballons
contest-register = Registrieren
contest-registered = Du bist registriert.
contest-take-virtually = Virtuell teilnehmen
contest-sign-in-to-compete = Zum Teilnehmen anmelden
contest-problems = Aufgaben
contest-problem = Aufgabe
contest-limits = Limits
contest-problem-fallback = Aufgabe { $id }
contest-problems-later = Die Aufgaben erscheinen, sobald der Wettbewerb beginnt.
contest-awards = Auszeichnungen
contest-rating-changes = Wertungsänderungen
contest-ratings-who = Wer
contest-ratings-performance = Leistung
contest-ratings-rating = Wertung
contest-ratings-change = Änderung
contest-ratings-pending = Die Wertungen ändern sich, sobald die Jury sie festschreibt.
contest-finalise-ratings = Wertungen festschreiben

## Problem
problem-statement-language = Aufgabentext auf
problem-limits = Zeit { $time } · Speicher { $memory } · Code { $code }
problem-samples = Beispiele
problem-sample-input = Beispieleingabe { $number }
problem-sample-output = Beispielausgabe { $number }
problem-copy = Kopieren
problem-copy-sample-input = Beispieleingabe { $number } kopieren
problem-copy-sample-output = Beispielausgabe { $number } kopieren
problem-sign-in = Melde dich an
problem-sign-in-to = , um eine Lösung einzureichen.
problem-submit-title = Einreichen
problem-language = Sprache
problem-language-unavailable = { $name } (nicht verfügbar)
problem-upload-file = Datei hochladen
problem-submit = Einreichen
problem-submitting = Wird eingereicht…
problem-my-submissions = Meine Einreichungen
problem-write-first = Schreib zuerst eine Lösung oder lade eine hoch.
problem-cannot-upload = Diese Datei kann nicht hochgeladen werden: { $reason }.
problem-unknown-extension = `{ $name }` kann nicht hochgeladen werden: `.{ $ext }` ist hier die Endung keiner Sprache (bekannt: .{ $known }; Groß- und Kleinschreibung zählen).
problem-submit-answers = Antworten einreichen
problem-output-only = Bei dieser Aufgabe wird nur die Ausgabe eingereicht: Lade eine Antwortdatei pro Testfall hoch ({ $files }); die Antworten zu Beispielen dürfen fehlen.
problem-answer-files = Antwortdateien
problem-choose-answer-files = Wähle zuerst deine Antwortdateien aus.
problem-not-an-answer-file = `{ $name }` ist keine Antwortdatei dieser Aufgabe; ihre Antwortdateien sind { $expected }.
problem-chosen-twice = `{ $name }` ist doppelt ausgewählt.
problem-cannot-read = `{ $name }` kann nicht gelesen werden.
problem-live-submission = Einreichung #{ $id }:
problem-connecting = (Verbindung wird aufgebaut…)
problem-tests-summary = { $count ->
    [one] { $count } Test ausgeführt
   *[other] { $count } Tests ausgeführt
} · längste Laufzeit { $time } · höchster Speicherbedarf { $memory }
problem-compiler-output = Compiler-Ausgabe
problem-test = Test
problem-verdict = Ergebnis
problem-time = Zeit
problem-memory = Speicher
problem-hints = Hinweise
problem-hint = Hinweis { $number }
problem-show-hint = Hinweis zeigen ({ $shown } von { $total })
problem-editorial = Lösungsweg
problem-editorial-locked = Der Lösungsweg wird freigeschaltet, sobald du die Aufgabe gelöst hast.
problem-show-editorial = Lösungsweg jetzt zeigen
problem-run = Ausführen
problem-run-input = Eingabe für dein Programm
problem-run-on-input = Mit dieser Eingabe ausführen
problem-running = Läuft…
problem-run-sample = Beispiel { $number } ausführen
problem-run-finished = Beendet
problem-run-exit-code = · Exit-Code { $code }
problem-run-cut = {"["}… gekürzt]
problem-run-error-output = Fehlerausgabe
problem-run-expected = Erwartet
problem-run-output = Ausgabe

## Submissions
submissions-title = Meine Einreichungen
submissions-sign-in = Melde dich an
submissions-sign-in-to = , um deine Einreichungen zu sehen.
submissions-none = Noch keine Einreichungen.
submissions-id = ID
submissions-time = Zeit
submissions-problem-column = Aufgabe
submissions-language = Sprache
submissions-verdict = Ergebnis
submissions-progress = Fortschritt
submissions-score = Punkte
submissions-problem = Aufgabe { $id }

## Scoreboard
scoreboard-title = Rangliste
scoreboard-link-title = Live-Verbindung
scoreboard-link-live = live
scoreboard-link-connecting = verbindet
scoreboard-link-reconnecting = verbindet neu
scoreboard-follow = Folgen
scoreboard-follow-nobody = niemandem
scoreboard-jury-view = Jury-Ansicht (live, nicht eingefroren)
scoreboard-teams = { $count ->
    [one] { $count } Team
   *[other] { $count } Teams
}
scoreboard-frozen = Die Rangliste ist eingefroren: Ergebnisse späterer Einreichungen erscheinen als ausstehend, bis die Jury sie wieder freigibt.
scoreboard-team = Team
scoreboard-solved = Gelöst
scoreboard-score = Punkte
scoreboard-time = Zeit
scoreboard-no-teams = Noch keine Teams.
scoreboard-bad-snapshot = Fehlerhafter Stand der Rangliste: { $error }

## Clarifications
clarifications-title = Rückfragen
clarifications-sign-in = Melde dich an
clarifications-sign-in-to = , um der Jury Fragen zu stellen.
clarifications-question-about = Frage zu
clarifications-announcement-about = Ankündigung zu
clarifications-general = Allgemein
clarifications-problem = Aufgabe { $label }
clarifications-question-placeholder = Deine Frage an die Jury (Markdown)
clarifications-announcement-placeholder = Ankündigung an alle Teams (Markdown)
clarifications-ask = Fragen
clarifications-announce = Ankündigen
clarifications-none = Noch keine Rückfragen.
clarifications-new-question = Neue Frage von { $team }
clarifications-jury-answered = Die Jury hat geantwortet
clarifications-new-announcement = Neue Ankündigung der Jury
clarifications-dismiss = Schließen
clarifications-asks = { $team } fragt
clarifications-answer-private = Antwort der Jury (privat)
clarifications-answer-to-everyone = Antwort der Jury (an alle)
clarifications-jury-message = Nachricht der Jury
clarifications-announcement = Ankündigung
clarifications-answered = beantwortet
clarifications-waiting = wartet
clarifications-note-placeholder = Jury-Notiz (Teams sehen sie nie)
clarifications-add-note = Notiz hinzufügen
clarifications-claim = Übernehmen
clarifications-claimed = Übernommen
clarifications-answer-placeholder = Antwort (Markdown)
clarifications-canned = …oder eine vorgefertigte Antwort
clarifications-to-every-team = An alle Teams
clarifications-answer = Antworten

## Practice
practice-title = Üben
practice-intro = Aufgaben, die jederzeit zum Üben offenstehen.
practice-my-submissions = Meine Übungseinreichungen
practice-search = Nach Namen suchen
practice-tag = Schlagwort
practice-any-tag = Alle Schlagwörter
practice-difficulty-at-most = Maximale Schwierigkeit
practice-any-difficulty = Alle Schwierigkeiten
practice-sort = Sortierung
practice-sort-name = Nach Name
practice-sort-difficulty = Leichteste zuerst
practice-sort-solved = Am häufigsten gelöst
practice-sort-acceptance = Höchste Erfolgsquote
practice-sort-newest = Neueste zuerst
practice-unsolved-only = Nur ungelöste
practice-no-match = Keine Aufgabe passt.
practice-summary = { $count ->
    [one] { $count } Aufgabe
   *[other] { $count } Aufgaben
} · Seite { $page } von { $pages }
practice-status = Status
practice-problem = Aufgabe
practice-tags = Schlagwörter
practice-difficulty = Schwierigkeit
practice-solved-by = Gelöst von
practice-acceptance = Erfolgsquote
practice-previous = ← Zurück
practice-next = Weiter →
practice-solved = ✓ gelöst
practice-solved-title = Gelöst
practice-tried-title = Versucht
practice-tries = { $count ->
    [one] { $count } Versuch
   *[other] { $count } Versuche
}

## Editor
editor-source-code = Quelltext (Tab rückt ein; Escape und dann Tab verlässt das Feld; Strg+F sucht)
editor-find = Suchen
editor-replace-with = Ersetzen durch
editor-next = Weiter
editor-replace = Ersetzen
editor-replace-all = Alle ersetzen
editor-close-find = Suche schließen
editor-found = { $count } gefunden
editor-not-found = nicht gefunden
editor-replaced = { $count } ersetzt

## Virtual contest
virtual-title = { $contest } — virtuell
virtual-clock = Deine Uhr: { $elapsed } vergangen, { $left } übrig
virtual-over = Dein virtueller Wettbewerb ist vorbei.
virtual-submit-from-problems = Reiche über die Seite der jeweiligen Aufgabe ein: Einreichungen innerhalb deiner Zeit zählen hier.
virtual-ghost-board = Geisterrangliste
virtual-team = Team
virtual-total = Gesamt

## Balloons
balloons-title = Ballons
balloons-show-delivered = Ausgelieferte anzeigen
balloons-none = Keine Ballons auszuliefern.
balloons-judged = Bewertet
balloons-problem = Aufgabe
balloons-team = Team
balloons-first-to-solve = erste Lösung
balloons-mark-delivered = Als ausgeliefert markieren
balloons-delivered = Ausgeliefert ✓

## Resolver
resolver-title = Resolver
resolver-back = ← Zurück
resolver-reveal = Aufdecken →
resolver-following = Folgt der Jury
resolver-load-feed = Event-Feed laden…
resolver-team = Team
resolver-solved-column = Gelöst
resolver-time = Zeit
resolver-at-the-freeze = Die Rangliste beim Einfrieren. Drücke die Leertaste zum Aufdecken.
resolver-solved = Gelöst: { $team } → Platz { $rank }
resolver-not-solved = Nicht gelöst: { $team } → Platz { $rank }
resolver-final-standings = Endstand
resolver-not-following = Zuschauer folgen nicht: { $error }
resolver-cannot-read-file = Die Datei kann nicht gelesen werden
resolver-feed-bad-line = Zeile { $line }: kein JSON-Ereignis ({ $error })
resolver-icpc-only = Der Resolver deckt nur ICPC-Ranglisten (bestanden/nicht bestanden) auf
resolver-no-duration = Der Wettbewerb hat keine Dauer

## Admin
admin-title = Verwaltung
admin-jury-only = Diese Seite ist für die Jury.
admin-sign-in = Anmelden
admin-queue = Bewertungswarteschlange
admin-queue-waiting = Wartend
admin-queue-judging = In Bewertung
admin-queue-judges = Bewerter
admin-contests = Wettbewerbe
admin-contest = Wettbewerb
admin-new-contest = Neuer Wettbewerb…
admin-contest-slug = Kurzname
admin-contest-name = Name
admin-contest-rules = Regeln
admin-contest-start = Beginn
admin-contest-end = Ende
admin-contest-freeze = Einfrieren (optional)
admin-contest-penalty = Strafminuten
admin-contest-rated = Gewertet (Wertungen nach dem Ende auf der Seite des Wettbewerbs festschreiben)
admin-contest-allow-runs = Teilnehmer dürfen währenddessen Code mit eigenen Eingaben ausführen
admin-contest-problems = Aufgaben (KÜRZEL=ID, …)
admin-contest-save = Speichern
admin-contest-create = Erstellen
admin-freeze-now = Jetzt einfrieren
admin-unfreeze = Auftauen
admin-start-end-required = Beginn und Ende sind erforderlich.
admin-penalty-whole = Die Strafzeit muss eine ganze Zahl von Minuten sein.
admin-problems-syntax = `{ $item }`: schreib KÜRZEL=Aufgaben-ID, z. B. A=1
admin-problems-bad-id = `{ $item }`: `{ $id }` ist keine Aufgaben-ID
admin-contest-saved = Wettbewerb { $id } gespeichert.
admin-contest-created = Wettbewerb { $id } erstellt.
admin-frozen-now = Jetzt eingefroren.
admin-unfrozen = Aufgetaut: Die endgültige Rangliste ist öffentlich.
admin-import-title = Aufgabenpaket importieren
admin-import-package = Paket (.zip: Kattis legacy oder 2023-07, oder Polygon)
admin-import-slug = Kurzname (optional)
admin-import-practice = Zum Üben freigeben
admin-import = Importieren
admin-importing = Wird importiert…
admin-choose-package = Wähle zuerst ein Paket (.zip) aus.
admin-imported = Aufgabe { $id } „{ $name }“ importiert.
admin-imported-with-notes = Aufgabe { $id } „{ $name }“ importiert. Nicht übernommen: { $notes }
admin-problems = Aufgaben
admin-problem-practice = · zum Üben
admin-rejudge-title = Neu bewerten
admin-rejudge-id = Einreichungs-ID
admin-rejudge = Neu bewerten
admin-give-submission-id = Gib eine Einreichungs-ID an.
admin-rejudge-queued = Einreichung { $id } ist zur Neubewertung eingereiht.
admin-editorial-title = Lösungsweg und Hinweise
admin-editorial-problem = Aufgaben-ID
admin-editorial-load = Laden
admin-editorial-text = Lösungsweg (Markdown, LaTeX)
admin-editorial-hints = Hinweise, einer pro Block, Blöcke getrennt durch eine Zeile `---`
admin-editorial-save = Speichern
admin-give-problem-id = Gib eine Aufgaben-ID an.
admin-editorial-saved = Gespeichert: { $hints ->
        [one] { $hints } Hinweis
       *[other] { $hints } Hinweise
    }, Lösungsweg { $editorial ->
        [written] geschrieben
       *[empty] leer
    }.

## Users and audit log (admin)
users-title = Benutzer
users-search-placeholder = Nach Namen suchen
users-search-label = Benutzer suchen
users-search = Suchen
users-count = { $count } Benutzer
users-user = Benutzer
users-role = Rolle
users-state = Status
users-state-active = aktiv
users-state-disabled = deaktiviert
users-enable = Aktivieren
users-disable = Deaktivieren
users-reset-password = Passwort zurücksetzen
users-enabled = { $user } aktiviert.
users-disabled = { $user } deaktiviert.
users-role-changed = { $user } hat eine neue Rolle.
users-new-password = Neues Passwort für { $user }: { $password } (wird nur einmal angezeigt)
audit-title = Audit-Protokoll
audit-none = Noch keine Aktionen von Administratoren.
audit-when = Wann
audit-who = Wer
audit-what = Was
audit-on = Ziel
