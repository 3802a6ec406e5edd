import type { Messages } from './en.js'

export const de: Messages = {
  frame: {
    skipToContent: 'Zum Inhalt springen',
    languages: 'Sprache'
  },
  signIn: {
    title: 'Anmelden',
    username: 'Benutzername oder E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    continueTo: 'Melden Sie sich an, um mit {client} fortzufahren.',
    noAccount: 'Neu hier? {link}',
    createAccount: 'Konto erstellen',
    withProvider: 'Mit {provider} anmelden',
    errors: {
      incomplete: 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse und Ihr Passwort ein.',
      wrongCredentials: 'Benutzername oder Passwort ist falsch.',
      tooManyAttempts: 'Zu viele fehlgeschlagene Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.'
    }
  },
  secondFactor: {
    title: 'Bestätigung in zwei Schritten',
    code: 'Bestätigungscode',
    hint: 'Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App oder einen Ihrer Wiederherstellungscodes ein.',
    submit: 'Bestätigen',
    restart: 'Als andere Person anmelden',
    errors: {
      incomplete: 'Geben Sie den Code aus Ihrer Authenticator-App ein.',
      wrongCode: 'Dieser Code ist falsch oder wurde bereits verwendet. Warten Sie auf den nächsten Code und versuchen Sie es erneut.',
      tooManyAttempts: 'Zu viele falsche Codes. Warten Sie einige Minuten und versuchen Sie es dann erneut.'
    }
  },
  enrolment: {
    title: 'Bestätigung in zwei Schritten einrichten',
    required: 'Für Ihr Konto ist die Bestätigung in zwei Schritten vorgeschrieben, bevor Sie fortfahren können.',
    scan: 'Scannen Sie diesen QR-Code mit einer Authenticator-App, zum Beispiel FreeOTP, Google Authenticator, Microsoft Authenticator oder 1Password.',
    qrLabel: 'QR-Code mit dem Schlüssel für Ihre Authenticator-App',
    manual: 'Scannen klappt nicht? Geben Sie stattdessen diesen Schlüssel in der App ein:',
    confirm: 'Geben Sie dann den sechsstelligen Code ein, den die App anzeigt.',
    submit: 'Einschalten',
    wrongCode: 'Dieser Code ist falsch. Prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt, und geben Sie den Code ein, den die App jetzt anzeigt.'
  },
  recoveryCodes: {
    title: 'Wiederherstellungscodes sichern',
    explanation: 'Die Bestätigung in zwei Schritten ist eingeschaltet. Mit jedem dieser Codes können Sie sich einmal anmelden, falls Sie Ihr Telefon verlieren. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.',
    continue: 'Weiter'
  },
  register: {
    title: 'Konto erstellen',
    continueTo: 'Erstellen Sie ein Konto, um mit {client} fortzufahren.',
    username: 'Benutzername',
    usernameHint: 'Bis zu {max} Buchstaben, Ziffern, Leerzeichen, „_“, „.“ und „-“; kein Leerzeichen am Anfang oder Ende.',
    email: 'E-Mail-Adresse',
    password: 'Passwort',
    passwordHint: 'Mindestens {min} Zeichen.',
    submit: 'Konto erstellen',
    haveAccount: 'Sie haben schon ein Konto? {link}',
    signIn: 'Anmelden',
    problemsIntro: 'Das Konto wurde nicht erstellt:',
    errors: {
      username: 'Dieser Benutzername ist nicht möglich. Verwenden Sie bis zu {max} Buchstaben, Ziffern, Leerzeichen, „_“, „.“ und „-“, ohne Leerzeichen am Anfang oder Ende.',
      usernameTaken: 'Dieser Benutzername ist schon vergeben. Wählen Sie einen anderen.',
      email: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
      emailTaken: 'Zu dieser E-Mail-Adresse gibt es schon ein Konto. Melden Sie sich an oder verwenden Sie eine andere Adresse.',
      password: 'Wählen Sie ein Passwort mit {min} bis {max} Zeichen.',
      form: 'Das Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es erneut.',
      tooManyAttempts: 'Zu viele Versuche aus Ihrem Netzwerk. Warten Sie einige Minuten und versuchen Sie es dann erneut.'
    },
    closedTitle: 'Keine Registrierung möglich',
    closed: 'Hier können keine neuen Konten erstellt werden. Wenn Sie eines brauchen, wenden Sie sich an die Betreiber dieses Dienstes.'
  },
  consent: {
    title: 'Zugriff erlauben?',
    request: '{client} möchte im Namen von {user} handeln und erhält dazu:',
    nothingMore: 'Keine Berechtigungen außer zu wissen, wer Sie sind.',
    allow: 'Erlauben',
    deny: 'Ablehnen',
    clientSite: 'Über die App',
    clientPolicy: 'Datenschutzerklärung',
    clientTerms: 'Nutzungsbedingungen',
    scopes: {
      openid: 'Wissen, wer Sie sind',
      profile: 'Ihren Namen und Ihr Profil sehen',
      email: 'Ihre E-Mail-Adresse sehen',
      offline_access: 'Zugriff behalten, während Sie abwesend sind'
    }
  },
  signOut: {
    title: 'Abmelden?',
    asker: '{client} möchte Sie abmelden.',
    explanation: 'Sie werden von diesem Dienst und von den Apps abgemeldet, bei denen Sie sich damit angemeldet haben.',
    confirm: 'Abmelden',
    stay: 'Angemeldet bleiben',
    signedOutTitle: 'Sie sind abgemeldet',
    signedOut: 'Sie können dieses Fenster schließen.',
    stayedTitle: 'Sie sind weiterhin angemeldet',
    stayed: 'Es wurde nichts geändert.'
  },
  errors: {
    details: 'Einzelheiten für die Entwickler der App:',
    authorization: {
      title: 'Diese Anmeldeanfrage kann nicht fortgesetzt werden',
      explanation: 'Die App, die Sie hierher geschickt hat, hat etwas verlangt, das dieser Dienst nicht tun kann. Kehren Sie zur App zurück und versuchen Sie es erneut; geschieht es wieder, sagen Sie es den Herstellern der App.'
    },
    expiredRequest: {
      title: 'Diese Anmeldeanfrage ist abgelaufen',
      explanation: 'Sie wurde vor zu langer Zeit oder in einem anderen Browser begonnen. Kehren Sie zur App zurück und beginnen Sie von vorn.'
    },
    logout: {
      title: 'Diese Abmeldeanfrage kann nicht fortgesetzt werden',
      explanation: 'Die App, die Sie hierher geschickt hat, hat etwas verlangt, das dieser Dienst nicht tun kann. Sie sind weiterhin angemeldet; kehren Sie zur App zurück.'
    },
    saml: {
      title: 'Anmeldung abgelehnt',
      explanation: 'Die Antwort des Anmeldedienstes Ihrer Organisation wurde nicht angenommen. Beginnen Sie noch einmal von vorn; geschieht es wieder, wenden Sie sich an Ihre Administration.'
    },
    oidc: {
      title: 'Anmeldung abgelehnt',
      explanation: 'Die Anmeldung über den anderen Anbieter wurde nicht angenommen. Versuchen Sie es noch einmal von der Anmeldeseite aus; geschieht es wieder, wenden Sie sich an Ihre Administration.'
    }
  },
  passkeys: {
    signIn: 'Passkey verwenden',
    or: 'oder',
    secondStep: 'Stattdessen einen Passkey verwenden',
    refused: 'Dieser Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
    failed: 'Der Passkey konnte nicht verwendet werden: Die Abfrage wurde geschlossen oder ist abgelaufen. Versuchen Sie es erneut.',
    title: 'Passkeys zum Anmelden',
    explanation: 'Mit einem Passkey melden Sie sich per Fingerabdruck, Gesicht oder Bildschirmsperre statt mit einem Passwort an; er zählt als Bestätigung in zwei Schritten.',
    none: 'Sie haben noch keine Passkeys.',
    add: 'Passkey hinzufügen',
    name: 'Bezeichnung',
    nameHint: 'Zum Beispiel das Gerät oder der Passwortmanager, in dem er liegt.',
    created: 'Hinzugefügt',
    lastUsed: 'Zuletzt verwendet',
    never: 'Nie',
    synced: 'Zwischen Geräten synchronisiert',
    deviceBound: 'Auf einem Gerät',
    rename: 'Umbenennen',
    remove: 'Entfernen',
    added: 'Der Passkey wurde hinzugefügt.',
    renamed: 'Der Passkey wurde umbenannt.',
    removed: 'Der Passkey wurde entfernt.',
    lastWay: 'Dieser Passkey ist Ihre einzige Möglichkeit, sich anzumelden: Fügen Sie zuerst einen weiteren hinzu.',
    incomplete: 'Geben Sie dem Passkey einen Namen.'
  }
}
