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
    errors: {
      incomplete: 'Geben Sie Ihren Benutzernamen oder Ihre E-Mail-Adresse und Ihr Passwort ein.',
      wrongCredentials: 'Benutzername oder Passwort ist falsch.',
      tooManyAttempts: 'Zu viele fehlgeschlagene Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.'
    }
  },
  consent: {
    title: 'Zugriff erlauben?',
    request: '{client} möchte im Namen von {user} handeln und erhält dazu:',
    nothingMore: 'Keine Berechtigungen außer zu wissen, wer Sie sind.',
    allow: 'Erlauben',
    deny: 'Ablehnen',
    scopes: {
      openid: 'Wissen, wer Sie sind',
      profile: 'Ihren Namen und Ihr Profil sehen',
      email: 'Ihre E-Mail-Adresse sehen',
      offline_access: 'Zugriff behalten, während Sie abwesend sind'
    }
  },
  errors: {
    details: 'Einzelheiten für die Entwickler der App:',
    authorization: {
      title: 'Diese Anmeldeanfrage kann nicht fortgesetzt werden',
      explanation: 'Die App, die Sie hierher geschickt hat, hat etwas verlangt, das dieser Dienst nicht tun kann. Kehren Sie zur App zurück und versuchen Sie es erneut; geschieht es wieder, sagen Sie es den Herstellern der App.'
    },
    saml: {
      title: 'Anmeldung abgelehnt',
      explanation: 'Die Antwort des Anmeldedienstes Ihrer Organisation wurde nicht angenommen. Beginnen Sie noch einmal von vorn; geschieht es wieder, wenden Sie sich an Ihre Administration.'
    }
  }
}
