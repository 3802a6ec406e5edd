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
    }
  },
  passkeys: {
    signIn: 'Utiliser une clé d’accès',
    or: 'ou',
    secondStep: 'Utiliser plutôt une clé d’accès',
    refused: 'Cette clé d’accès n’a pas été acceptée. Réessayez, ou connectez-vous avec votre mot de passe.',
    failed: 'La clé d’accès n’a pas pu être utilisée : la demande a été fermée ou a expiré. Réessayez.',
    title: 'Clés d’accès',
    explanation: 'Une clé d’accès vous connecte avec votre empreinte, votre visage ou le verrouillage de l’écran au lieu d’un mot de passe, et vaut validation en deux étapes.',
    none: 'Vous n’avez pas encore de clé d’accès.',
    add: 'Ajouter une clé d’accès',
    name: 'Nom',
    nameHint: 'Par exemple l’appareil ou le gestionnaire de mots de passe qui la garde.',
    created: 'Ajoutée le',
    lastUsed: 'Dernière utilisation',
    never: 'Jamais',
    synced: 'Synchronisée entre appareils',
    deviceBound: 'Sur un seul appareil',
    rename: 'Renommer',
    remove: 'Supprimer',
    added: 'La clé d’accès a été ajoutée.',
    renamed: 'La clé d’accès a été renommée.',
    removed: 'La clé d’accès a été supprimée.',
    lastWay: 'Cette clé d’accès est votre seul moyen de connexion : ajoutez-en une autre avant de la supprimer.',
    incomplete: 'Donnez un nom à la clé d’accès.'
  }
}
