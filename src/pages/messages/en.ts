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
    continueTo: 'Sign in to continue to {client}.',
    noAccount: 'New here? {link}',
    createAccount: 'Create an account',
    withProvider: 'Sign in with {provider}',
    errors: {
      incomplete: 'Enter your username or email and your password.',
      wrongCredentials: 'Wrong username or password.',
      tooManyAttempts: 'Too many failed attempts. Wait a few minutes and try again.'
    }
  },
  secondFactor: {
    title: 'Two-step verification',
    code: 'Verification code',
    hint: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
    submit: 'Verify',
    restart: 'Sign in as someone else',
    errors: {
      incomplete: 'Enter the code from your authenticator app.',
      wrongCode: 'That code is not right, or it was already used. Wait for the next code and try again.',
      tooManyAttempts: 'Too many wrong codes. Wait a few minutes and try again.'
    }
  },
  enrolment: {
    title: 'Set up two-step verification',
    required: 'Your account must use two-step verification before you can continue.',
    scan: 'Scan this QR code with an authenticator app, such as FreeOTP, Google Authenticator, Microsoft Authenticator or 1Password.',
    qrLabel: 'QR code with the key for your authenticator app',
    manual: 'Cannot scan it? Enter this key in the app instead:',
    confirm: 'Then enter the 6-digit code the app shows.',
    submit: 'Turn on',
    wrongCode: 'That code is not right. Check that the time on your phone is correct and enter the code the app shows now.'
  },
  recoveryCodes: {
    title: 'Save your recovery codes',
    explanation: 'Two-step verification is on. Each of these codes signs you in once if you lose your phone. Keep them somewhere safe: they are shown only now.',
    continue: 'Continue'
  },
  register: {
    title: 'Create an account',
    continueTo: 'Create an account to continue to {client}.',
    username: 'Username',
    usernameHint: 'Up to {max} letters, digits, spaces, “_”, “.” and “-”; no space at the start or end.',
    email: 'Email address',
    password: 'Password',
    passwordHint: 'At least {min} characters.',
    submit: 'Create account',
    haveAccount: 'Already have an account? {link}',
    signIn: 'Sign in',
    problemsIntro: 'The account was not created:',
    errors: {
      username: 'This username cannot be used. Use up to {max} letters, digits, spaces, “_”, “.” and “-”, with no space at the start or end.',
      usernameTaken: 'This username is already taken. Choose another one.',
      email: 'Enter an email address such as name@example.com.',
      emailTaken: 'This email address already belongs to an account. Sign in instead, or use another address.',
      password: 'Choose a password of {min} to {max} characters.',
      form: 'The form could not be read. Reload the page and try again.',
      tooManyAttempts: 'Too many attempts from your network. Wait a few minutes and try again.'
    },
    closedTitle: 'Registration is closed',
    closed: 'New accounts cannot be created here. If you need one, ask the people who run this service.'
  },
  consent: {
    title: 'Allow access?',
    request: '{client} asks to act for {user} with:',
    nothingMore: 'No permissions beyond knowing who you are.',
    allow: 'Allow',
    deny: 'Deny',
    clientSite: 'About the app',
    clientPolicy: 'Privacy policy',
    clientTerms: 'Terms of service',
    scopes: {
      openid: 'Know who you are',
      profile: 'See your name and profile',
      email: 'See your email address',
      offline_access: 'Keep access while you are away'
    }
  },
  signOut: {
    title: 'Sign out?',
    asker: '{client} asks to sign you out.',
    explanation: 'You will be signed out of this service and of the apps you signed in to with it.',
    confirm: 'Sign out',
    stay: 'Stay signed in',
    signedOutTitle: 'You are signed out',
    signedOut: 'You can close this window.',
    stayedTitle: 'You are still signed in',
    stayed: 'Nothing was changed.'
  },
  errors: {
    details: 'Details for the app’s developer:',
    authorization: {
      title: 'This sign-in request cannot continue',
      explanation: 'The app that sent you here asked for something this service cannot do. Go back to the app and try again; if it happens again, tell the app’s makers.'
    },
    expiredRequest: {
      title: 'This sign-in request has expired',
      explanation: 'It was started too long ago, or in another browser. Go back to the app and start again.'
    },
    logout: {
      title: 'This sign-out request cannot continue',
      explanation: 'The app that sent you here asked for something this service cannot do. You are still signed in; go back to the app.'
    },
    saml: {
      title: 'Sign-in refused',
      explanation: 'The answer of your organisation’s sign-in service was not accepted. Try again from the start; if it happens again, tell your administrator.'
    },
    oidc: {
      title: 'Sign-in refused',
      explanation: 'The sign-in through the other provider was not accepted. Try again from the sign-in page; if it happens again, tell your administrator.'
    }
  },
  passkeys: {
    signIn: 'Use a passkey',
    or: 'or',
    secondStep: 'Use a passkey instead',
    refused: 'That passkey was not accepted. Try again, or sign in with your password.',
    failed: 'The passkey could not be used: the prompt was closed or timed out. Try again.',
    title: 'Passkeys',
    explanation: 'A passkey signs you in with your fingerprint, face or screen lock instead of a password, and counts as two-step verification.',
    none: 'You have no passkeys yet.',
    add: 'Add a passkey',
    name: 'Name',
    nameHint: 'For example the device or the password manager that keeps it.',
    created: 'Added',
    lastUsed: 'Last used',
    never: 'Never',
    synced: 'Synced between devices',
    deviceBound: 'On one device',
    rename: 'Rename',
    remove: 'Remove',
    added: 'The passkey was added.',
    renamed: 'The passkey was renamed.',
    removed: 'The passkey was removed.',
    lastWay: 'This passkey is your only way to sign in: add another one before you remove it.',
    incomplete: 'Give the passkey a name.'
  }
}

export type Messages = typeof en
