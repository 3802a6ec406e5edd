import Type from 'typebox'
import { BCRYPT_HASH_PATTERN } from '../services/passwords.js'
import { Email, Organisation, Password, ProfileFields, PublicUser, Role, Scope, Username } from './common.js'

/** Each profile field optional: absent leaves it as it is, null clears it. */
const OptionalProfile = {
  name: Type.Optional(ProfileFields.name),
  givenName: Type.Optional(ProfileFields.givenName),
  familyName: Type.Optional(ProfileFields.familyName),
  locale: Type.Optional(ProfileFields.locale),
  zoneinfo: Type.Optional(ProfileFields.zoneinfo),
  picture: Type.Optional(ProfileFields.picture)
}

export const CreateUserBody = Type.Object(
  {
    username: Username,
    email: Email,
    password: Type.Optional(Password),
    passwordHash: Type.Optional(
      Type.String({ pattern: BCRYPT_HASH_PATTERN, description: 'An existing bcrypt hash, to import a user from lummox or rdata; instead of password' })
    ),
    scope: Type.Optional(Scope),
    role: Type.Optional(Role),
    organisation: Type.Optional(Organisation),
    active: Type.Optional(Type.Boolean()),
    ...OptionalProfile
  },
  { additionalProperties: false }
)

export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(Username),
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Required when users change their own password' })),
    scope: Type.Optional(Scope),
    role: Type.Optional(Role),
    organisation: Type.Optional(Organisation),
    active: Type.Optional(Type.Boolean()),
    ...OptionalProfile
  },
  { additionalProperties: false, minProperties: 1 }
)

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'Part of a username or email, any case' }))
  },
  { additionalProperties: false }
)

export const UserList = Type.Object({
  users: Type.Array(PublicUser),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer()
})
