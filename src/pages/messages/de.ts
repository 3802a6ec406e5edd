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
  passwordReset: {
    forgotLink: 'Passwort vergessen?',
    forgotTitle: 'Passwort zurücksetzen',
    forgotIntro: 'Geben Sie die E-Mail-Adresse Ihres Kontos ein. Gehört sie zu einem Konto, senden wir dorthin einen Link, mit dem Sie ein neues Passwort wählen.',
    email: 'E-Mail-Adresse',
    send: 'Link senden',
    sentTitle: 'Sehen Sie in Ihr Postfach',
    sent: 'Gehört die Adresse {email} zu einem Konto, ist ein Link zum Wählen eines neuen Passworts unterwegs. Er gilt {minutes} Minuten lang und nur einmal.',
    backToSignIn: 'Zurück zur Anmeldung',
    title: 'Neues Passwort wählen',
    password: 'Neues Passwort',
    passwordHint: 'Mindestens {min} Zeichen.',
    otp: 'Bestätigungscode',
    otpHint: 'Ihr Konto nutzt die Bestätigung in zwei Schritten: Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein.',
    submit: 'Neues Passwort speichern',
    doneTitle: 'Ihr Passwort wurde geändert',
    done: 'Sie wurden überall abgemeldet. Melden Sie sich mit Ihrem neuen Passwort an.',
    signIn: 'Anmelden',
    problemsIntro: 'Das Passwort wurde nicht geändert:',
    errors: {
      email: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
      password: 'Wählen Sie ein Passwort mit {min} bis {max} Zeichen.',
      otp: 'Geben Sie einen aktuellen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein.',
      tooManyAttempts: 'Zu viele Versuche. Warten Sie einige Minuten und versuchen Sie es erneut.',
      form: 'Das Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es erneut.'
    },
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalid: 'Er wurde schon benutzt, ist abgelaufen, oder es wurde ein neuerer Link gesendet. Fordern Sie einen neuen an.',
    askAgain: 'Neuen Link anfordern'
  },
  verifyEmail: {
    confirmedTitle: 'Ihre E-Mail-Adresse ist bestätigt',
    confirmed: 'Danke: {email} ist bestätigt.',
    continue: 'Anmelden',
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalid: 'Er wurde schon benutzt, ist abgelaufen, oder es wurde ein neuerer Link gesendet. Fordern Sie unten einen neuen an.',
    unverifiedTitle: 'Bestätigen Sie Ihre E-Mail-Adresse',
    unverified: 'Ihr Passwort war richtig, aber Ihre E-Mail-Adresse ist noch nicht bestätigt. Folgen Sie dem Link, den wir Ihnen gesendet haben, oder fordern Sie einen neuen an.',
    email: 'E-Mail-Adresse',
    resend: 'Neuen Link senden',
    sentTitle: 'Sehen Sie in Ihr Postfach',
    sent: 'Gehört {email} zu einem Konto, das noch bestätigt werden muss, ist ein neuer Link unterwegs.',
    tooManyAttempts: 'Zu viele Anfragen. Warten Sie einige Minuten und versuchen Sie es erneut.'
  },
  mail: {
    greeting: 'Hallo {name},',
    footer: 'Diese Nachricht hat {brand} an {email} gesendet.',
    passwordReset: {
      subject: 'Ihr Passwort für {brand} zurücksetzen',
      intro: 'Jemand, wahrscheinlich Sie, hat verlangt, das Passwort Ihres Kontos bei {brand} zurückzusetzen.',
      action: 'Neues Passwort wählen',
      expiry: 'Der Link gilt {minutes} Minuten lang und nur einmal.',
      ignore: 'Wenn Sie das nicht verlangt haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt, wie es ist.'
    },
    passwordChanged: {
      subject: 'Ihr Passwort für {brand} wurde geändert',
      body: 'Das Passwort Ihres Kontos bei {brand} wurde am {time} geändert, und alle Geräte wurden abgemeldet.'
    },
    verifyEmail: {
      subject: 'Bestätigen Sie Ihre E-Mail-Adresse für {brand}',
      intro: 'Bitte bestätigen Sie, dass diese Adresse zu Ihrem Konto bei {brand} gehört.',
      action: 'Adresse bestätigen',
      expiry: 'Der Link gilt 24 Stunden lang und nur einmal.',
      ignore: 'Wenn Sie kein Konto erstellt haben, ignorieren Sie diese Nachricht.'
    },
    mfaAdded: {
      subject: 'Die Bestätigung in zwei Schritten wurde für Ihr Konto bei {brand} eingeschaltet',
      body: 'Die Bestätigung in zwei Schritten wurde am {time} für Ihr Konto bei {brand} eingeschaltet. Ab jetzt fragt die Anmeldung nach einem Code aus Ihrer Authenticator-App.'
    },
    mfaRemoved: {
      subject: 'Die Bestätigung in zwei Schritten wurde für Ihr Konto bei {brand} ausgeschaltet',
      body: 'Die Bestätigung in zwei Schritten wurde am {time} für Ihr Konto bei {brand} ausgeschaltet. Die Anmeldung fragt jetzt nur noch nach Ihrem Passwort.'
    },
    mfaReset: {
      subject: 'Die Administration hat die Bestätigung in zwei Schritten für Ihr Konto bei {brand} ausgeschaltet',
      body: 'Am {time} wurde die Bestätigung in zwei Schritten für Ihr Konto bei {brand} von der Administration ausgeschaltet. Die Anmeldung fragt jetzt nur noch nach Ihrem Passwort; Sie können sie in Ihrem Konto wieder einschalten.'
    },
    notYou: 'Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück und benachrichtigen Sie die Betreiber dieses Dienstes.'
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
    }
  }
}
