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
  account: {
    title: 'Your account',
    link: 'Your account',
    sectionsLabel: 'Sections',
    problemsIntro: 'Nothing was changed:',
    done: {
      'password-changed': 'Your password was changed. You are still signed in here; everywhere else you were signed out.',
      'session-ended': 'The session was ended.',
      'app-withdrawn': 'The app can no longer act for you.',
      'two-step-off': 'Two-step verification is off.',
      'passkey-added': 'The passkey was added. You can sign in with it now.',
      'passkey-renamed': 'The passkey was renamed.',
      'passkey-removed': 'The passkey was removed.',
      'email-change-requested': 'A link is on its way to the new address. Your address changes when you follow it; until then the current one keeps working.',
      'email-change-cancelled': 'The change of address was cancelled. The link sent to the new address no longer works.',
      'provider-linked': 'The provider was linked: you can sign in through it now.',
      'provider-unlinked': 'The link to the provider was removed.'
    },
    errors: {
      currentPassword: 'Your current password is not right.',
      newPassword: 'Choose a new password of {min} to {max} characters.',
      repeatPassword: 'The two new passwords are not the same.',
      code: 'That code is not right, or it was already used. Enter the code the app shows now.',
      proof: 'Enter a code from your authenticator app, a recovery code or your password.',
      notFound: 'This was not found. It may have ended already.',
      form: 'The form could not be read. Reload the page and try again.',
      tooManyAttempts: 'Too many wrong attempts. Wait a few minutes and try again.',
      passkeyName: 'Give the passkey a name of up to 64 characters.',
      passkeyRefused: 'The passkey was not added. Try again.',
      passkeyLastWay: 'This passkey is your only way to sign in: add another one before you remove it.',
      newEmail: 'Enter an email address such as name@example.com.',
      sameEmail: 'This is already your email address.',
      linkLastWay: 'This provider is your only way to sign in: set a password, add a passkey or link another provider before you remove it.'
    },
    profile: {
      title: 'Profile',
      username: 'Username',
      email: 'Email address'
    },
    email: {
      title: 'Email address',
      current: 'Your address: {email} ({status}).',
      verified: 'confirmed',
      unverified: 'not confirmed yet',
      explanation: 'A new address is used once you follow the link we mail to it; until then your current address keeps working.',
      newEmail: 'New email address',
      password: 'Current password',
      submit: 'Send the link',
      pending: 'Waiting for confirmation: {email}. The link works until {time}.',
      cancel: 'Cancel the change'
    },
    password: {
      title: 'Password',
      explanation: 'A new password signs you out everywhere except here.',
      current: 'Current password',
      new: 'New password',
      newHint: '{min} to {max} characters.',
      repeat: 'New password again',
      submit: 'Change password'
    },
    twoStep: {
      title: 'Two-step verification',
      on: 'On: every sign-in with your password also asks for a code from your authenticator app.',
      off: 'Off: your password alone signs you in. Add a code from an authenticator app on your phone to protect your account.',
      recoveryCodesLeft: 'Recovery codes left: {count}.',
      setUp: 'Set up two-step verification',
      code: 'Code from the app',
      newRecoveryCodes: 'New recovery codes',
      newRecoveryCodesHint: 'Enter a code the app shows now. Your old recovery codes stop working.',
      newRecoveryCodesSubmit: 'Make new recovery codes',
      turnOff: 'Turn off',
      turnOffHint: 'Enter a code from the app or a recovery code; if you lost your phone, your password instead.',
      proofCode: 'Code from the app or recovery code',
      proofPassword: 'Or your password',
      turnOffSubmit: 'Turn off two-step verification'
    },
    passkeys: {
      title: 'Passkeys',
      explanation: 'A passkey signs you in with your fingerprint, face or screen lock instead of a password, and counts as two-step verification.',
      none: 'You have no passkeys yet.',
      add: 'Add a passkey',
      name: 'Name of the new passkey',
      nameHint: 'For example the device or the password manager that keeps it.',
      synced: 'Synced between devices',
      deviceBound: 'On one device',
      addedAt: 'Added {time}',
      lastUsed: 'last used {time}',
      neverUsed: 'never used',
      newName: 'New name for {passkey}',
      rename: 'Rename',
      remove: 'Remove',
      removeLabel: 'Remove {passkey}'
    },
    sessions: {
      title: 'Where you are signed in',
      browsers: 'Browsers',
      tokens: 'Apps and API tokens',
      thisBrowser: 'This browser',
      browserOn: '{browser} on {system}',
      unknownBrowser: 'Unknown browser',
      api: 'API token',
      signedInAt: 'Signed in {time}',
      startedAt: 'Started {time}',
      lastUsed: 'last used {time}',
      end: 'End',
      endLabel: 'End the session: {what}',
      none: 'None.'
    },
    apps: {
      title: 'Apps you allowed',
      none: 'You have not allowed any app to act for you.',
      allowedAt: 'Allowed {time}',
      withdraw: 'Withdraw',
      withdrawLabel: 'Withdraw the access of {client}'
    },
    providers: {
      title: 'Sign-in providers',
      explanation: 'Sign in here with your account at another provider, such as your organisation’s.',
      none: 'No provider is linked to your account.',
      linkedAt: 'Linked {time}',
      remove: 'Remove',
      removeLabel: 'Remove the link to {provider}',
      link: 'Link {provider}',
      linkHint: 'You sign in there, then come back here.'
    }
  },
  passwordReset: {
    forgotLink: 'Forgot your password?',
    forgotTitle: 'Reset your password',
    forgotIntro: 'Enter the email address of your account. If an account has it, we send a link there to choose a new password.',
    email: 'Email address',
    send: 'Send the link',
    sentTitle: 'Check your email',
    sent: 'If an account has the address {email}, a link to choose a new password is on its way. It works for {minutes} minutes, once.',
    backToSignIn: 'Back to sign-in',
    title: 'Choose a new password',
    password: 'New password',
    passwordHint: 'At least {min} characters.',
    otp: 'Verification code',
    otpHint: 'Your account uses two-step verification: enter the 6-digit code from your authenticator app, or a recovery code.',
    submit: 'Set the new password',
    doneTitle: 'Your password was changed',
    done: 'You were signed out everywhere. Sign in with your new password.',
    signIn: 'Sign in',
    problemsIntro: 'The password was not changed:',
    errors: {
      email: 'Enter an email address such as name@example.com.',
      password: 'Choose a password of {min} to {max} characters.',
      otp: 'Enter a current code from your authenticator app, or a recovery code.',
      tooManyAttempts: 'Too many attempts. Wait a few minutes and try again.',
      form: 'The form could not be read. Reload the page and try again.'
    },
    invalidTitle: 'This link does not work',
    invalid: 'It was already used, it has expired, or a newer link was sent. Ask for a new one.',
    askAgain: 'Ask for a new link'
  },
  verifyEmail: {
    confirmedTitle: 'Your email address is confirmed',
    confirmed: 'Thank you: {email} is confirmed.',
    continue: 'Sign in',
    invalidTitle: 'This link does not work',
    invalid: 'It was already used, it has expired, or a newer link was sent. Ask for a new one below.',
    unverifiedTitle: 'Confirm your email address',
    unverified: 'Your password was right, but your email address is not confirmed yet. Follow the link we mailed you, or ask for a new one.',
    email: 'Email address',
    resend: 'Send a new link',
    sentTitle: 'Check your email',
    sent: 'If {email} belongs to an account that still needs confirming, a new link is on its way.',
    tooManyAttempts: 'Too many requests. Wait a few minutes and try again.'
  },
  changeEmail: {
    confirmTitle: 'Change your email address?',
    confirm: 'Your account will use {email} from now on instead of its current address.',
    submit: 'Use this address',
    doneTitle: 'Your email address was changed',
    done: 'Your account now uses {email}.',
    invalidTitle: 'This link does not work',
    invalid: 'It was already used, it has expired, or the change was cancelled or asked for again. You can ask for the change again in your account.',
    takenTitle: 'This address is taken',
    taken: 'Another account uses {email} now, so your address was not changed.',
    toAccount: 'Go to your account'
  },
  mail: {
    greeting: 'Hello {name},',
    footer: 'This message was sent by {brand} to {email}.',
    passwordReset: {
      subject: 'Reset your {brand} password',
      intro: 'Someone, probably you, asked to reset the password of your {brand} account.',
      action: 'Choose a new password',
      expiry: 'The link works for {minutes} minutes, once.',
      ignore: 'If you did not ask for this, ignore this message: your password stays as it is.'
    },
    passwordChanged: {
      subject: 'Your {brand} password was changed',
      body: 'The password of your {brand} account was changed on {time}, and every device was signed out.'
    },
    verifyEmail: {
      subject: 'Confirm your email address for {brand}',
      intro: 'Please confirm that this address belongs to your {brand} account.',
      action: 'Confirm my address',
      expiry: 'The link works for 24 hours, once.',
      ignore: 'If you did not create an account, ignore this message.'
    },
    changeEmail: {
      subject: 'Confirm the new email address of your {brand} account',
      intro: 'Someone, probably you, asked to use this address for a {brand} account. Until you confirm, the account keeps its current address.',
      action: 'Use this address',
      expiry: 'The link works for 24 hours, once.',
      ignore: 'If you did not ask for this, ignore this message: nothing changes.'
    },
    emailChangeRequested: {
      subject: 'A new email address was asked for your {brand} account',
      body: 'On {time}, someone asked to change the email address of your {brand} account to {email}. It changes only when the link mailed to that address is followed; until then this address stays in use, and you can cancel the change in your account.'
    },
    emailChanged: {
      subject: 'The email address of your {brand} account was changed',
      body: 'The email address of your {brand} account was changed to {email} on {time}. Messages about the account now go there.'
    },
    emailChangedByAdmin: {
      subject: 'An administrator changed the email address of your {brand} account',
      body: 'An administrator changed the email address of your {brand} account to {email} on {time}. Messages about the account now go there.'
    },
    emailInUse: {
      subject: 'Someone asked to use this address at {brand}',
      body: 'On {time}, someone asked to use this address for another {brand} account. An account there already has it, so nothing was changed and you need do nothing.'
    },
    mfaAdded: {
      subject: 'Two-step verification was turned on for your {brand} account',
      body: 'Two-step verification was turned on for your {brand} account on {time}. From now on, signing in asks for a code from your authenticator app.'
    },
    mfaRemoved: {
      subject: 'Two-step verification was turned off for your {brand} account',
      body: 'Two-step verification was turned off for your {brand} account on {time}. Signing in now asks only for your password.'
    },
    mfaReset: {
      subject: 'An administrator turned off two-step verification for your {brand} account',
      body: 'An administrator turned off two-step verification for your {brand} account on {time}. Signing in now asks only for your password; you can turn it on again in your account.'
    },
    passkeyAdded: {
      subject: 'A passkey was added to your {brand} account',
      body: 'A passkey was added to your {brand} account on {time}. It signs in on its own, without your password.'
    },
    passkeyRemoved: {
      subject: 'A passkey was removed from your {brand} account',
      body: 'A passkey was removed from your {brand} account on {time}. It no longer signs you in.'
    },
    passkeyReset: {
      subject: 'An administrator removed a passkey from your {brand} account',
      body: 'An administrator removed a passkey from your {brand} account on {time}. It no longer signs you in.'
    },
    notYou: 'If this was not you, reset your password now and tell the people who run this service.'
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
    },
    oidcLink: {
      title: 'Link refused',
      explanation: 'Your account at the other provider was not linked: it may be linked to another user already, or the link was started in another browser. Start again from your account page.'
    }
  },
  passkeys: {
    signIn: 'Use a passkey',
    secondStep: 'Use a passkey instead',
    refused: 'That passkey was not accepted. Try again, or sign in with your password.',
    failed: 'The passkey could not be used: the prompt was closed or timed out. Try again.'
  }
}

export type Messages = typeof en
