import Type from 'typebox'

export const Health = Type.Object({ status: Type.String() })

const KeyUse = { kid: Type.String(), alg: Type.String(), use: Type.Literal('sig') }

export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Union([
      Type.Object({ kty: Type.Literal('RSA'), n: Type.String(), e: Type.String(), ...KeyUse }),
      Type.Object({ kty: Type.Literal('EC'), crv: Type.String(), x: Type.String(), y: Type.String(), ...KeyUse })
    ])
  )
})
