import type { Messages } from './en.js'

export const fr: Messages = {
  frame: {
    skipToContent: 'Aller au contenu',
    languages: 'Langue'
  },
  signIn: {
    title: 'Se connecter',
    username: 'Nom d’utilisateur ou e-mail',
    password: 'Mot de passe',
    submit: 'Se connecter',
    continueTo: 'Connectez-vous pour continuer vers {client}.',
    noAccount: 'Pas encore de compte ? {link}',
    createAccount: 'Créer un compte',
    withProvider: 'Se connecter avec {provider}',
    errors: {
      incomplete: 'Saisissez votre nom d’utilisateur ou votre e-mail, et votre mot de passe.',
      wrongCredentials: 'Nom d’utilisateur ou mot de passe incorrect.',
      tooManyAttempts: 'Trop de tentatives échouées. Patientez quelques minutes, puis réessayez.'
    }
  },
  secondFactor: {
    title: 'Validation en deux étapes',
    code: 'Code de vérification',
    hint: 'Saisissez le code à 6 chiffres de votre application d’authentification, ou l’un de vos codes de secours.',
    submit: 'Valider',
    restart: 'Se connecter avec un autre compte',
    errors: {
      incomplete: 'Saisissez le code de votre application d’authentification.',
      wrongCode: 'Ce code est incorrect ou a déjà été utilisé. Attendez le code suivant et réessayez.',
      tooManyAttempts: 'Trop de codes incorrects. Attendez quelques minutes et réessayez.'
    }
  },
  enrolment: {
    title: 'Activer la validation en deux étapes',
    required: 'Votre compte doit utiliser la validation en deux étapes avant de pouvoir continuer.',
    scan: 'Scannez ce code QR avec une application d’authentification, par exemple FreeOTP, Google Authenticator, Microsoft Authenticator ou 1Password.',
    qrLabel: 'Code QR contenant la clé pour votre application d’authentification',
    manual: 'Impossible de le scanner ? Saisissez plutôt cette clé dans l’application :',
    confirm: 'Saisissez ensuite le code à 6 chiffres affiché par l’application.',
    submit: 'Activer',
    wrongCode: 'Ce code est incorrect. Vérifiez que l’heure de votre téléphone est juste et saisissez le code affiché maintenant.'
  },
  recoveryCodes: {
    title: 'Conservez vos codes de secours',
    explanation: 'La validation en deux étapes est activée. Chacun de ces codes vous connecte une fois si vous perdez votre téléphone. Gardez-les en lieu sûr : ils ne sont affichés que maintenant.',
    continue: 'Continuer'
  },
  account: {
    title: 'Votre compte',
    link: 'Votre compte',
    sectionsLabel: 'Rubriques',
    problemsIntro: 'Rien n’a été modifié :',
    done: {
      'password-changed': 'Votre mot de passe a été changé. Vous restez connecté ici ; partout ailleurs, vous avez été déconnecté.',
      'session-ended': 'La session a été fermée.',
      'app-withdrawn': 'L’application ne peut plus agir en votre nom.',
      'two-step-off': 'La validation en deux étapes est désactivée.',
      'passkey-added': 'La clé d’accès a été ajoutée. Vous pouvez vous connecter avec elle dès maintenant.',
      'passkey-renamed': 'La clé d’accès a été renommée.',
      'passkey-removed': 'La clé d’accès a été supprimée.',
      'email-change-requested': 'Un lien est en route vers la nouvelle adresse. Votre adresse change quand vous le suivez ; d’ici là, l’adresse actuelle reste valable.',
      'email-change-cancelled': 'Le changement d’adresse a été annulé. Le lien envoyé à la nouvelle adresse ne fonctionne plus.',
      'provider-linked': 'Le fournisseur a été associé : vous pouvez maintenant vous connecter par lui.',
      'provider-unlinked': 'L’association avec le fournisseur a été supprimée.'
    },
    errors: {
      currentPassword: 'Votre mot de passe actuel n’est pas le bon.',
      newPassword: 'Choisissez un nouveau mot de passe de {min} à {max} caractères.',
      repeatPassword: 'Les deux nouveaux mots de passe ne sont pas identiques.',
      code: 'Ce code est erroné ou a déjà servi. Saisissez le code que l’application affiche maintenant.',
      proof: 'Saisissez un code de votre application d’authentification, un code de secours ou votre mot de passe.',
      notFound: 'Introuvable. Cela a peut-être déjà pris fin.',
      form: 'Le formulaire n’a pas pu être lu. Rechargez la page et réessayez.',
      tooManyAttempts: 'Trop de tentatives erronées. Patientez quelques minutes, puis réessayez.',
      passkeyName: 'Donnez à la clé d’accès un nom de 64 caractères au plus.',
      passkeyRefused: 'La clé d’accès n’a pas été ajoutée. Réessayez.',
      passkeyLastWay: 'Cette clé d’accès est votre seul moyen de connexion : ajoutez-en une autre avant de la supprimer.',
      newEmail: 'Saisissez une adresse e-mail comme nom@example.com.',
      sameEmail: 'C’est déjà votre adresse e-mail.',
      linkLastWay: 'Ce fournisseur est votre seul moyen de connexion : définissez un mot de passe, ajoutez une clé d’accès ou associez un autre fournisseur avant de le supprimer.'
    },
    profile: {
      title: 'Profil',
      username: 'Nom d’utilisateur',
      email: 'Adresse e-mail'
    },
    email: {
      title: 'Adresse e-mail',
      current: 'Votre adresse : {email} ({status}).',
      verified: 'confirmée',
      unverified: 'pas encore confirmée',
      explanation: 'Une nouvelle adresse est utilisée dès que vous suivez le lien que nous lui envoyons ; d’ici là, votre adresse actuelle reste valable.',
      newEmail: 'Nouvelle adresse e-mail',
      password: 'Mot de passe actuel',
      submit: 'Envoyer le lien',
      pending: 'En attente de confirmation : {email}. Le lien est valable jusqu’au {time}.',
      cancel: 'Annuler le changement'
    },
    password: {
      title: 'Mot de passe',
      explanation: 'Un nouveau mot de passe vous déconnecte partout, sauf ici.',
      current: 'Mot de passe actuel',
      new: 'Nouveau mot de passe',
      newHint: 'De {min} à {max} caractères.',
      repeat: 'Confirmez le nouveau mot de passe',
      submit: 'Changer le mot de passe'
    },
    twoStep: {
      title: 'Validation en deux étapes',
      on: 'Activée : chaque connexion par mot de passe demande aussi un code de votre application d’authentification.',
      off: 'Désactivée : votre mot de passe suffit pour vous connecter. Protégez mieux votre compte avec un code d’une application d’authentification sur votre téléphone.',
      recoveryCodesLeft: 'Codes de secours restants : {count}.',
      setUp: 'Configurer la validation en deux étapes',
      code: 'Code de l’application',
      newRecoveryCodes: 'Nouveaux codes de secours',
      newRecoveryCodesHint: 'Saisissez le code que l’application affiche maintenant. Vos anciens codes de secours cesseront de fonctionner.',
      newRecoveryCodesSubmit: 'Créer de nouveaux codes de secours',
      turnOff: 'Désactiver',
      turnOffHint: 'Saisissez un code de l’application ou un code de secours ; si vous avez perdu votre téléphone, votre mot de passe.',
      proofCode: 'Code de l’application ou code de secours',
      proofPassword: 'Ou votre mot de passe',
      turnOffSubmit: 'Désactiver la validation en deux étapes'
    },
    passkeys: {
      title: 'Clés d’accès',
      explanation: 'Une clé d’accès vous connecte avec votre empreinte, votre visage ou le verrouillage de l’écran au lieu d’un mot de passe, et vaut validation en deux étapes.',
      none: 'Vous n’avez pas encore de clé d’accès.',
      add: 'Ajouter une clé d’accès',
      name: 'Nom de la nouvelle clé d’accès',
      nameHint: 'Par exemple l’appareil ou le gestionnaire de mots de passe qui la garde.',
      synced: 'Synchronisée entre appareils',
      deviceBound: 'Sur un seul appareil',
      addedAt: 'Ajoutée le {time}',
      lastUsed: 'dernière utilisation le {time}',
      neverUsed: 'jamais utilisée',
      newName: 'Nouveau nom pour {passkey}',
      rename: 'Renommer',
      remove: 'Supprimer',
      removeLabel: 'Supprimer {passkey}'
    },
    sessions: {
      title: 'Où vous êtes connecté',
      browsers: 'Navigateurs',
      tokens: 'Applications et jetons d’API',
      thisBrowser: 'Ce navigateur',
      browserOn: '{browser} sous {system}',
      unknownBrowser: 'Navigateur inconnu',
      api: 'Jeton d’API',
      signedInAt: 'Connecté le {time}',
      startedAt: 'Ouverte le {time}',
      lastUsed: 'dernière utilisation le {time}',
      end: 'Fermer',
      endLabel: 'Fermer la session : {what}',
      none: 'Aucune.'
    },
    apps: {
      title: 'Applications autorisées',
      none: 'Vous n’avez autorisé aucune application à agir en votre nom.',
      allowedAt: 'Autorisée le {time}',
      withdraw: 'Retirer',
      withdrawLabel: 'Retirer l’accès de {client}'
    },
    providers: {
      title: 'Fournisseurs de connexion',
      explanation: 'Connectez-vous ici avec votre compte chez un autre fournisseur, par exemple celui de votre organisation.',
      none: 'Aucun fournisseur n’est associé à votre compte.',
      linkedAt: 'Associé le {time}',
      remove: 'Supprimer',
      removeLabel: 'Supprimer l’association avec {provider}',
      link: 'Associer {provider}',
      linkHint: 'Vous vous connectez là-bas, puis revenez ici.'
    }
  },
  passwordReset: {
    forgotLink: 'Mot de passe oublié ?',
    forgotTitle: 'Réinitialiser votre mot de passe',
    forgotIntro: 'Saisissez l’adresse e-mail de votre compte. Si un compte l’utilise, nous y envoyons un lien pour choisir un nouveau mot de passe.',
    email: 'Adresse e-mail',
    send: 'Envoyer le lien',
    sentTitle: 'Consultez vos e-mails',
    sent: 'Si un compte utilise l’adresse {email}, un lien pour choisir un nouveau mot de passe est en route. Il est valable {minutes} minutes, une seule fois.',
    backToSignIn: 'Retour à la connexion',
    title: 'Choisir un nouveau mot de passe',
    password: 'Nouveau mot de passe',
    passwordHint: 'Au moins {min} caractères.',
    otp: 'Code de validation',
    otpHint: 'Votre compte utilise la validation en deux étapes : saisissez le code à 6 chiffres de votre application d’authentification, ou un code de secours.',
    submit: 'Enregistrer le nouveau mot de passe',
    doneTitle: 'Votre mot de passe a été modifié',
    done: 'Vous avez été déconnecté partout. Connectez-vous avec votre nouveau mot de passe.',
    signIn: 'Se connecter',
    problemsIntro: 'Le mot de passe n’a pas été modifié :',
    errors: {
      email: 'Saisissez une adresse e-mail comme nom@example.com.',
      password: 'Choisissez un mot de passe de {min} à {max} caractères.',
      otp: 'Saisissez un code actuel de votre application d’authentification, ou un code de secours.',
      tooManyAttempts: 'Trop de tentatives. Patientez quelques minutes puis réessayez.',
      form: 'Le formulaire n’a pas pu être lu. Rechargez la page et réessayez.'
    },
    invalidTitle: 'Ce lien ne fonctionne pas',
    invalid: 'Il a déjà servi, il a expiré, ou un lien plus récent a été envoyé. Demandez-en un nouveau.',
    askAgain: 'Demander un nouveau lien'
  },
  verifyEmail: {
    confirmedTitle: 'Votre adresse e-mail est confirmée',
    confirmed: 'Merci : {email} est confirmée.',
    continue: 'Se connecter',
    invalidTitle: 'Ce lien ne fonctionne pas',
    invalid: 'Il a déjà servi, il a expiré, ou un lien plus récent a été envoyé. Demandez-en un nouveau ci-dessous.',
    unverifiedTitle: 'Confirmez votre adresse e-mail',
    unverified: 'Votre mot de passe est correct, mais votre adresse e-mail n’est pas encore confirmée. Suivez le lien que nous vous avons envoyé, ou demandez-en un nouveau.',
    email: 'Adresse e-mail',
    resend: 'Envoyer un nouveau lien',
    sentTitle: 'Consultez vos e-mails',
    sent: 'Si {email} appartient à un compte qui doit encore être confirmé, un nouveau lien est en route.',
    tooManyAttempts: 'Trop de demandes. Patientez quelques minutes puis réessayez.'
  },
  changeEmail: {
    confirmTitle: 'Changer votre adresse e-mail ?',
    confirm: 'Votre compte utilisera désormais {email} au lieu de son adresse actuelle.',
    submit: 'Utiliser cette adresse',
    doneTitle: 'Votre adresse e-mail a été changée',
    done: 'Votre compte utilise maintenant {email}.',
    invalidTitle: 'Ce lien ne fonctionne pas',
    invalid: 'Il a déjà servi, il a expiré, ou le changement a été annulé ou demandé à nouveau. Vous pouvez redemander le changement depuis votre compte.',
    takenTitle: 'Cette adresse est prise',
    taken: 'Un autre compte utilise maintenant {email} ; votre adresse n’a donc pas été changée.',
    toAccount: 'Aller à votre compte'
  },
  mail: {
    greeting: 'Bonjour {name},',
    footer: 'Ce message a été envoyé par {brand} à {email}.',
    passwordReset: {
      subject: 'Réinitialisez votre mot de passe {brand}',
      intro: 'Quelqu’un, probablement vous, a demandé à réinitialiser le mot de passe de votre compte {brand}.',
      action: 'Choisir un nouveau mot de passe',
      expiry: 'Le lien est valable {minutes} minutes, une seule fois.',
      ignore: 'Si vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.'
    },
    passwordChanged: {
      subject: 'Votre mot de passe {brand} a été modifié',
      body: 'Le mot de passe de votre compte {brand} a été modifié le {time}, et tous les appareils ont été déconnectés.'
    },
    verifyEmail: {
      subject: 'Confirmez votre adresse e-mail pour {brand}',
      intro: 'Merci de confirmer que cette adresse appartient à votre compte {brand}.',
      action: 'Confirmer mon adresse',
      expiry: 'Le lien est valable 24 heures, une seule fois.',
      ignore: 'Si vous n’avez pas créé de compte, ignorez ce message.'
    },
    changeEmail: {
      subject: 'Confirmez la nouvelle adresse e-mail de votre compte {brand}',
      intro: 'Quelqu’un, probablement vous, a demandé à utiliser cette adresse pour un compte {brand}. Tant que vous n’avez pas confirmé, le compte garde son adresse actuelle.',
      action: 'Utiliser cette adresse',
      expiry: 'Le lien est valable 24 heures, une seule fois.',
      ignore: 'Si vous n’avez rien demandé, ignorez ce message : rien ne change.'
    },
    emailChangeRequested: {
      subject: 'Une nouvelle adresse e-mail a été demandée pour votre compte {brand}',
      body: 'Le {time}, quelqu’un a demandé à remplacer l’adresse e-mail de votre compte {brand} par {email}. Elle ne change que si le lien envoyé à cette adresse est suivi ; d’ici là, cette adresse-ci reste utilisée, et vous pouvez annuler le changement depuis votre compte.'
    },
    emailChanged: {
      subject: 'L’adresse e-mail de votre compte {brand} a été changée',
      body: 'L’adresse e-mail de votre compte {brand} a été remplacée par {email} le {time}. Les messages concernant le compte y sont désormais envoyés.'
    },
    emailChangedByAdmin: {
      subject: 'Un administrateur a changé l’adresse e-mail de votre compte {brand}',
      body: 'Un administrateur a remplacé l’adresse e-mail de votre compte {brand} par {email} le {time}. Les messages concernant le compte y sont désormais envoyés.'
    },
    emailInUse: {
      subject: 'Quelqu’un a demandé à utiliser cette adresse chez {brand}',
      body: 'Le {time}, quelqu’un a demandé à utiliser cette adresse pour un autre compte {brand}. Un compte l’utilise déjà, donc rien n’a été changé et vous n’avez rien à faire.'
    },
    mfaAdded: {
      subject: 'La validation en deux étapes a été activée sur votre compte {brand}',
      body: 'La validation en deux étapes a été activée sur votre compte {brand} le {time}. Désormais, la connexion demande un code de votre application d’authentification.'
    },
    mfaRemoved: {
      subject: 'La validation en deux étapes a été désactivée sur votre compte {brand}',
      body: 'La validation en deux étapes a été désactivée sur votre compte {brand} le {time}. La connexion ne demande plus que votre mot de passe.'
    },
    mfaReset: {
      subject: 'Un administrateur a désactivé la validation en deux étapes sur votre compte {brand}',
      body: 'Un administrateur a désactivé la validation en deux étapes sur votre compte {brand} le {time}. La connexion ne demande plus que votre mot de passe ; vous pouvez la réactiver dans votre compte.'
    },
    passkeyAdded: {
      subject: 'Une clé d’accès a été ajoutée à votre compte {brand}',
      body: 'Une clé d’accès a été ajoutée à votre compte {brand} le {time}. Elle vous connecte seule, sans votre mot de passe.'
    },
    passkeyRemoved: {
      subject: 'Une clé d’accès a été supprimée de votre compte {brand}',
      body: 'Une clé d’accès a été supprimée de votre compte {brand} le {time}. Elle ne vous connecte plus.'
    },
    passkeyReset: {
      subject: 'Un administrateur a supprimé une clé d’accès de votre compte {brand}',
      body: 'Un administrateur a supprimé une clé d’accès de votre compte {brand} le {time}. Elle ne vous connecte plus.'
    },
    notYou: 'Si ce n’était pas vous, réinitialisez votre mot de passe maintenant et prévenez les personnes qui gèrent ce service.'
  },
  register: {
    title: 'Créer un compte',
    continueTo: 'Créez un compte pour continuer vers {client}.',
    username: 'Nom d’utilisateur',
    usernameHint: 'Jusqu’à {max} lettres, chiffres, espaces, « _ », « . » et « - » ; pas d’espace au début ni à la fin.',
    email: 'Adresse e-mail',
    password: 'Mot de passe',
    passwordHint: 'Au moins {min} caractères.',
    submit: 'Créer le compte',
    haveAccount: 'Vous avez déjà un compte ? {link}',
    signIn: 'Se connecter',
    problemsIntro: 'Le compte n’a pas été créé :',
    errors: {
      username: 'Ce nom d’utilisateur n’est pas possible. Utilisez jusqu’à {max} lettres, chiffres, espaces, « _ », « . » et « - », sans espace au début ni à la fin.',
      usernameTaken: 'Ce nom d’utilisateur est déjà pris. Choisissez-en un autre.',
      email: 'Saisissez une adresse e-mail, par exemple nom@example.com.',
      emailTaken: 'Cette adresse e-mail appartient déjà à un compte. Connectez-vous, ou utilisez une autre adresse.',
      password: 'Choisissez un mot de passe de {min} à {max} caractères.',
      form: 'Le formulaire n’a pas pu être lu. Rechargez la page et réessayez.',
      tooManyAttempts: 'Trop de tentatives depuis votre réseau. Patientez quelques minutes, puis réessayez.'
    },
    closedTitle: 'Les inscriptions sont fermées',
    closed: 'Il n’est pas possible de créer un compte ici. Si vous en avez besoin, adressez-vous aux responsables de ce service.'
  },
  consent: {
    title: 'Autoriser l’accès ?',
    request: '{client} demande à agir au nom de {user} avec :',
    nothingMore: 'Aucune autorisation au-delà de savoir qui vous êtes.',
    allow: 'Autoriser',
    deny: 'Refuser',
    clientSite: 'À propos de l’application',
    clientPolicy: 'Politique de confidentialité',
    clientTerms: 'Conditions d’utilisation',
    scopes: {
      openid: 'Savoir qui vous êtes',
      profile: 'Voir votre nom et votre profil',
      email: 'Voir votre adresse e-mail',
      offline_access: 'Garder l’accès pendant votre absence'
    }
  },
  signOut: {
    title: 'Se déconnecter ?',
    asker: '{client} demande à vous déconnecter.',
    explanation: 'Vous serez déconnecté de ce service et des applications auxquelles vous vous êtes connecté avec lui.',
    confirm: 'Se déconnecter',
    stay: 'Rester connecté',
    signedOutTitle: 'Vous êtes déconnecté',
    signedOut: 'Vous pouvez fermer cette fenêtre.',
    stayedTitle: 'Vous êtes toujours connecté',
    stayed: 'Rien n’a été modifié.'
  },
  errors: {
    details: 'Détails pour les développeurs de l’application :',
    authorization: {
      title: 'Cette demande de connexion ne peut pas aboutir',
      explanation: 'L’application qui vous a envoyé ici a demandé une chose que ce service ne peut pas faire. Revenez à l’application et réessayez ; si cela se reproduit, prévenez ses éditeurs.'
    },
    expiredRequest: {
      title: 'Cette demande de connexion a expiré',
      explanation: 'Elle a été commencée il y a trop longtemps, ou dans un autre navigateur. Revenez à l’application et recommencez.'
    },
    logout: {
      title: 'Cette demande de déconnexion ne peut pas aboutir',
      explanation: 'L’application qui vous a envoyé ici a demandé une chose que ce service ne peut pas faire. Vous êtes toujours connecté ; revenez à l’application.'
    },
    saml: {
      title: 'Connexion refusée',
      explanation: 'La réponse du service de connexion de votre organisation n’a pas été acceptée. Recommencez depuis le début ; si cela se reproduit, prévenez votre administrateur.'
    },
    oidc: {
      title: 'Connexion refusée',
      explanation: 'La connexion par l’autre fournisseur n’a pas été acceptée. Recommencez depuis la page de connexion ; si cela se reproduit, prévenez votre administrateur.'
    },
    oidcLink: {
      title: 'Association refusée',
      explanation: 'Votre compte chez l’autre fournisseur n’a pas été associé : il est peut-être déjà associé à un autre utilisateur, ou l’association a été commencée dans un autre navigateur. Recommencez depuis la page de votre compte.'
    }
  },
  passkeys: {
    signIn: 'Utiliser une clé d’accès',
    secondStep: 'Utiliser plutôt une clé d’accès',
    refused: 'Cette clé d’accès n’a pas été acceptée. Réessayez, ou connectez-vous avec votre mot de passe.',
    failed: 'La clé d’accès n’a pas pu être utilisée : la demande a été fermée ou a expiré. Réessayez.'
  }
}
