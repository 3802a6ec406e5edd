/**
 * The English catalogue: every string of every end-user page. It is the reference:
 * its shape is `Messages`, and every other language must have exactly its keys
 * (the compiler refuses a missing or extra key). `{name}` marks a value filled in
 * by the page (see Fill in ../text.tsx), never HTML.
 */
export const en = {
  frame: {
    skipToContent: 'Skip to content',
    languages: 'Language'
  },
  signIn: {
    title: 'Sign in',
    username: 'Username or email',
    password: 'Password',
    submit: 'Sign in',
    errors: {
      incomplete: 'Enter your username or email and your password.',
      wrongCredentials: 'Wrong username or password.',
      tooManyAttempts: 'Too many failed attempts. Wait a few minutes and try again.'
    }
  },
  consent: {
    title: 'Allow access?',
    request: '{client} asks to act for {user} with:',
    nothingMore: 'No permissions beyond knowing who you are.',
    allow: 'Allow',
    deny: 'Deny',
    scopes: {
      openid: 'Know who you are',
      profile: 'See your name and profile',
      email: 'See your email address',
      offline_access: 'Keep access while you are away'
    }
  },
  errors: {
    details: 'Details for the app’s developer:',
    authorization: {
      title: 'This sign-in request cannot continue',
      explanation: 'The app that sent you here asked for something this service cannot do. Go back to the app and try again; if it happens again, tell the app’s makers.'
    },
    saml: {
      title: 'Sign-in refused',
      explanation: 'The answer of your organisation’s sign-in service was not accepted. Try again from the start; if it happens again, tell your administrator.'
    }
  }
}

export type Messages = typeof en
