// The libsecp256k1 modules rustyd uses. Debian's libsecp256k1-dev (0.2.x) ships all of them.
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <secp256k1_ecdh.h>
