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
  account: {
    title: 'Ihr Konto',
    link: 'Ihr Konto',
    sectionsLabel: 'Bereiche',
    problemsIntro: 'Es wurde nichts geändert:',
    done: {
      'password-changed': 'Ihr Passwort wurde geändert. Hier bleiben Sie angemeldet, überall sonst wurden Sie abgemeldet.',
      'session-ended': 'Die Sitzung wurde beendet.',
      'app-withdrawn': 'Die App kann nicht mehr in Ihrem Namen handeln.',
      'two-step-off': 'Die Bestätigung in zwei Schritten ist ausgeschaltet.',
      'passkey-added': 'Der Passkey wurde hinzugefügt. Sie können sich jetzt damit anmelden.',
      'passkey-renamed': 'Der Passkey wurde umbenannt.',
      'passkey-removed': 'Der Passkey wurde entfernt.',
      'email-change-requested': 'Ein Link ist an die neue Adresse unterwegs. Ihre Adresse ändert sich, wenn Sie ihm folgen; bis dahin gilt die bisherige weiter.',
      'email-change-cancelled': 'Die Änderung der Adresse wurde abgebrochen. Der an die neue Adresse gesandte Link gilt nicht mehr.',
      'provider-linked': 'Der Anbieter wurde verknüpft: Sie können sich jetzt darüber anmelden.',
      'provider-unlinked': 'Die Verknüpfung mit dem Anbieter wurde entfernt.'
    },
    errors: {
      currentPassword: 'Ihr aktuelles Passwort ist nicht richtig.',
      newPassword: 'Wählen Sie ein neues Passwort mit {min} bis {max} Zeichen.',
      repeatPassword: 'Die beiden neuen Passwörter stimmen nicht überein.',
      code: 'Dieser Code ist falsch oder wurde bereits verwendet. Geben Sie den Code ein, den die App gerade anzeigt.',
      proof: 'Geben Sie einen Code aus Ihrer Authenticator-App, einen Wiederherstellungscode oder Ihr Passwort ein.',
      notFound: 'Nicht gefunden. Vielleicht wurde es bereits beendet.',
      form: 'Das Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es erneut.',
      tooManyAttempts: 'Zu viele falsche Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
      passkeyName: 'Geben Sie dem Passkey eine Bezeichnung mit höchstens 64 Zeichen.',
      passkeyRefused: 'Der Passkey wurde nicht hinzugefügt. Versuchen Sie es erneut.',
      passkeyLastWay: 'Dieser Passkey ist Ihre einzige Möglichkeit, sich anzumelden: Fügen Sie zuerst einen weiteren hinzu.',
      newEmail: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
      sameEmail: 'Das ist bereits Ihre E-Mail-Adresse.',
      linkLastWay: 'Dieser Anbieter ist Ihre einzige Möglichkeit, sich anzumelden: Legen Sie zuerst ein Passwort fest, fügen Sie einen Passkey hinzu oder verknüpfen Sie einen anderen Anbieter.'
    },
    profile: {
      title: 'Profil',
      username: 'Benutzername',
      email: 'E-Mail-Adresse'
    },
    email: {
      title: 'E-Mail-Adresse',
      current: 'Ihre Adresse: {email} ({status}).',
      verified: 'bestätigt',
      unverified: 'noch nicht bestätigt',
      explanation: 'Eine neue Adresse gilt, sobald Sie dem Link folgen, den wir an sie senden; bis dahin gilt Ihre bisherige Adresse weiter.',
      newEmail: 'Neue E-Mail-Adresse',
      password: 'Aktuelles Passwort',
      submit: 'Link senden',
      pending: 'Wartet auf Bestätigung: {email}. Der Link gilt bis {time}.',
      cancel: 'Änderung abbrechen'
    },
    password: {
      title: 'Passwort',
      explanation: 'Mit einem neuen Passwort werden Sie überall außer hier abgemeldet.',
      current: 'Aktuelles Passwort',
      new: 'Neues Passwort',
      newHint: '{min} bis {max} Zeichen.',
      repeat: 'Neues Passwort wiederholen',
      submit: 'Passwort ändern'
    },
    twoStep: {
      title: 'Bestätigung in zwei Schritten',
      on: 'Eingeschaltet: Bei jeder Anmeldung mit Passwort wird zusätzlich ein Code aus Ihrer Authenticator-App abgefragt.',
      off: 'Ausgeschaltet: Ihr Passwort allein genügt zur Anmeldung. Schützen Sie Ihr Konto zusätzlich mit einem Code aus einer Authenticator-App auf Ihrem Telefon.',
      recoveryCodesLeft: 'Verbleibende Wiederherstellungscodes: {count}.',
      setUp: 'Bestätigung in zwei Schritten einrichten',
      code: 'Code aus der App',
      newRecoveryCodes: 'Neue Wiederherstellungscodes',
      newRecoveryCodesHint: 'Geben Sie den Code ein, den die App gerade anzeigt. Ihre bisherigen Wiederherstellungscodes werden damit ungültig.',
      newRecoveryCodesSubmit: 'Neue Wiederherstellungscodes erzeugen',
      turnOff: 'Ausschalten',
      turnOffHint: 'Geben Sie einen Code aus der App oder einen Wiederherstellungscode ein; haben Sie Ihr Telefon verloren, stattdessen Ihr Passwort.',
      proofCode: 'Code aus der App oder Wiederherstellungscode',
      proofPassword: 'Oder Ihr Passwort',
      turnOffSubmit: 'Bestätigung in zwei Schritten ausschalten'
    },
    passkeys: {
      title: 'Passkeys zum Anmelden',
      explanation: 'Mit einem Passkey melden Sie sich per Fingerabdruck, Gesicht oder Bildschirmsperre statt mit einem Passwort an; er zählt als Bestätigung in zwei Schritten.',
      none: 'Sie haben noch keine Passkeys.',
      add: 'Passkey hinzufügen',
      name: 'Bezeichnung des neuen Passkeys',
      nameHint: 'Zum Beispiel das Gerät oder der Passwortmanager, in dem er liegt.',
      synced: 'Zwischen Geräten synchronisiert',
      deviceBound: 'Auf einem Gerät',
      addedAt: 'Hinzugefügt am {time}',
      lastUsed: 'zuletzt verwendet am {time}',
      neverUsed: 'noch nie verwendet',
      newName: 'Neue Bezeichnung für {passkey}',
      rename: 'Umbenennen',
      remove: 'Entfernen',
      removeLabel: '{passkey} entfernen'
    },
    sessions: {
      title: 'Wo Sie angemeldet sind',
      browsers: 'Browser',
      tokens: 'Apps und API-Tokens',
      thisBrowser: 'Dieser Browser',
      browserOn: '{browser} unter {system}',
      unknownBrowser: 'Unbekannter Browser',
      api: 'API-Token',
      signedInAt: 'Angemeldet am {time}',
      startedAt: 'Begonnen am {time}',
      lastUsed: 'zuletzt verwendet am {time}',
      end: 'Beenden',
      endLabel: 'Sitzung beenden: {what}',
      none: 'Keine.'
    },
    apps: {
      title: 'Apps mit Ihrer Erlaubnis',
      none: 'Sie haben keiner App erlaubt, in Ihrem Namen zu handeln.',
      allowedAt: 'Erlaubt am {time}',
      withdraw: 'Widerrufen',
      withdrawLabel: 'Zugriff von {client} widerrufen'
    },
    providers: {
      title: 'Anmeldeanbieter',
      explanation: 'Melden Sie sich hier mit Ihrem Konto bei einem anderen Anbieter an, etwa dem Ihrer Organisation.',
      none: 'Mit Ihrem Konto ist kein Anbieter verknüpft.',
      linkedAt: 'Verknüpft am {time}',
      remove: 'Entfernen',
      removeLabel: 'Verknüpfung mit {provider} entfernen',
      link: 'Mit {provider} verknüpfen',
      linkHint: 'Sie melden sich dort an und kommen dann hierher zurück.'
    }
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
  changeEmail: {
    confirmTitle: 'E-Mail-Adresse ändern?',
    confirm: 'Ihr Konto verwendet ab jetzt {email} statt der bisherigen Adresse.',
    submit: 'Diese Adresse verwenden',
    doneTitle: 'Ihre E-Mail-Adresse wurde geändert',
    done: 'Ihr Konto verwendet jetzt {email}.',
    invalidTitle: 'Dieser Link funktioniert nicht',
    invalid: 'Er wurde schon verwendet, ist abgelaufen, oder die Änderung wurde abgebrochen oder neu verlangt. Sie können die Änderung in Ihrem Konto erneut verlangen.',
    takenTitle: 'Diese Adresse ist vergeben',
    taken: 'Ein anderes Konto verwendet jetzt {email}, daher wurde Ihre Adresse nicht geändert.',
    toAccount: 'Zu Ihrem Konto'
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
    changeEmail: {
      subject: 'Bestätigen Sie die neue E-Mail-Adresse Ihres Kontos bei {brand}',
      intro: 'Jemand, wahrscheinlich Sie, möchte diese Adresse für ein Konto bei {brand} verwenden. Bis Sie bestätigen, behält das Konto seine bisherige Adresse.',
      action: 'Diese Adresse verwenden',
      expiry: 'Der Link gilt 24 Stunden lang und nur einmal.',
      ignore: 'Wenn Sie das nicht verlangt haben, ignorieren Sie diese Nachricht: Es ändert sich nichts.'
    },
    emailChangeRequested: {
      subject: 'Für Ihr Konto bei {brand} wurde eine neue E-Mail-Adresse verlangt',
      body: 'Am {time} hat jemand verlangt, die E-Mail-Adresse Ihres Kontos bei {brand} in {email} zu ändern. Sie ändert sich erst, wenn jemand dem an diese Adresse gesandten Link folgt; bis dahin bleibt diese Adresse in Gebrauch, und Sie können die Änderung in Ihrem Konto abbrechen.'
    },
    emailChanged: {
      subject: 'Die E-Mail-Adresse Ihres Kontos bei {brand} wurde geändert',
      body: 'Die E-Mail-Adresse Ihres Kontos bei {brand} wurde am {time} in {email} geändert. Nachrichten zum Konto gehen jetzt dorthin.'
    },
    emailChangedByAdmin: {
      subject: 'Ein Administrator hat die E-Mail-Adresse Ihres Kontos bei {brand} geändert',
      body: 'Ein Administrator hat die E-Mail-Adresse Ihres Kontos bei {brand} am {time} in {email} geändert. Nachrichten zum Konto gehen jetzt dorthin.'
    },
    emailInUse: {
      subject: 'Jemand wollte diese Adresse bei {brand} verwenden',
      body: 'Am {time} hat jemand verlangt, diese Adresse für ein anderes Konto bei {brand} zu verwenden. Ein Konto dort hat sie bereits, daher wurde nichts geändert, und Sie müssen nichts tun.'
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
    passkeyAdded: {
      subject: 'Ihrem Konto bei {brand} wurde ein Passkey hinzugefügt',
      body: 'Am {time} wurde Ihrem Konto bei {brand} ein Passkey hinzugefügt. Er meldet Sie ohne Ihr Passwort an.'
    },
    passkeyRemoved: {
      subject: 'Aus Ihrem Konto bei {brand} wurde ein Passkey entfernt',
      body: 'Am {time} wurde ein Passkey aus Ihrem Konto bei {brand} entfernt. Er meldet Sie nicht mehr an.'
    },
    passkeyReset: {
      subject: 'Die Administration hat einen Passkey aus Ihrem Konto bei {brand} entfernt',
      body: 'Am {time} hat die Administration einen Passkey aus Ihrem Konto bei {brand} entfernt. Er meldet Sie nicht mehr an.'
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
    },
    oidc: {
      title: 'Anmeldung abgelehnt',
      explanation: 'Die Anmeldung über den anderen Anbieter wurde nicht angenommen. Versuchen Sie es noch einmal von der Anmeldeseite aus; geschieht es wieder, wenden Sie sich an Ihre Administration.'
    },
    oidcLink: {
      title: 'Verknüpfung abgelehnt',
      explanation: 'Ihr Konto beim anderen Anbieter wurde nicht verknüpft: Es ist vielleicht schon mit einem anderen Benutzer verknüpft, oder die Verknüpfung wurde in einem anderen Browser begonnen. Beginnen Sie noch einmal auf Ihrer Kontoseite.'
    }
  },
  passkeys: {
    signIn: 'Passkey verwenden',
    secondStep: 'Stattdessen einen Passkey verwenden',
    refused: 'Dieser Passkey wurde nicht akzeptiert. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
    failed: 'Der Passkey konnte nicht verwendet werden: Die Abfrage wurde geschlossen oder ist abgelaufen. Versuchen Sie es erneut.'
  }
}
