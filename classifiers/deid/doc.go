// Package deid de-identifies single values: the operators of piiscan's
// de-identified copies (`piiscan redact`) and the policy that chooses one
// per data type. It works on raw values, so it is called from inside the
// classifiers boundary and nothing here writes, logs or returns a raw
// value in an error.
//
// # Operators
//
// Every operator implements Operator: Apply(OpContext, value) returns the
// replacement, Name returns the operator's kind for the summary counters.
// OpContext carries the data type id, the category and the Kind of slot
// the value sits in (text, or a JSON string, number, array, object), so a
// result always fits its slot: a JSON number stays a number or becomes
// null, an array becomes [].
//
//	mask        keep first N / last M, mask a range, mask before or after a
//	            character (keep an e-mail's domain), any mask character;
//	            separators, parentheses and a +86 prefix stay in place
//	hash        HMAC-SHA256 or HMAC-SM3 (GB/T 32905) of the canonical value,
//	            hex, optionally truncated: deterministic pseudonyms
//	encrypt     reversible tokens enc:v1:<alg>:<base64url>: aes-siv (RFC 5297,
//	            deterministic, the default), sm4-gcm-siv (deterministic),
//	            aes-gcm and sm4-gcm (randomized); Decrypt for key holders
//	ff1         format-preserving tokens (NIST SP 800-38G FF1) that keep the
//	            type's structure; recompute_check makes them valid IDs
//	generalize  dates to year/month, ages to bands, coordinates to fewer
//	            decimals or a geohash, addresses to the city, IPv4 to a prefix
//	substitute  realistic fakes with valid checksums, the same fake for the
//	            same value (seeded by HMAC of the value)
//	redact      remove: empty, null, [] or {} by slot
//	tag         the type in angle brackets: <cn_mobile>
//
// An operator that cannot handle a value (no structure for the type, a
// value too short for FF1, a result that does not fit a JSON number slot)
// returns an error wrapping ErrUnsupported; Policy.Apply then applies the
// policy's fallback (redact or tag) and reports which operator ran.
//
// # Policies
//
// A policy is YAML, decoded strictly (unknown keys and options are errors
// naming the file, the entry and the line):
//
//	version: 1
//	fallback: redact                  # redact or tag
//	default: tag                      # types not listed, user rules included
//	categories:
//	  biometric: redact
//	types:
//	  cn_mobile: {operator: mask, keep_first: 3, keep_last: 4}
//	  cn_resident_id: {operator: ff1, key_env: PIISCAN_REDACT_KEY, recompute_check: false}
//	  bank_card: {operator: encrypt, algorithm: aes-siv, key_env: PIISCAN_ENC_KEY}
//	  email: {operator: mask, before: "@", keep_first: 1}
//
// An entry is an operator name or a mapping with operator and its options
// (the yaml tags of MaskConfig, HashConfig, EncryptConfig, FF1Config,
// GeneralizeConfig, SubstituteConfig; tag takes format). For a value, the
// type's entry wins, then the category's, then default.
//
// # Keys
//
// Keys never appear in a policy: hash, encrypt, ff1 and substitute read
// their key material from the environment variable named by key_env
// (PIISCAN_REDACT_KEY when omitted). An inline key, seed or secret is an
// error. The material must be at least MinKeyBytes long; use 32 random
// bytes (`openssl rand -hex 32`). hash uses it directly as the HMAC key, so
// with PIISCAN_HMAC_KEY, hmac-sha256 and full length the pseudonyms equal
// the findings' fingerprints; the other operators derive their keys from
// it with HKDF-SHA256 and a per-purpose label, so one secret can serve
// them all. Losing the key loses reversibility; leaking it lets anyone
// reverse ff1 and encrypt tokens and rebuild hash and substitute mappings
// by trying candidate values.
//
// # The default policy
//
// DefaultPolicy (default_policy.yaml, shown by DefaultPolicyYAML) is built
// so that a rescan of the copy finds none of the original values and
// nothing at S3 or S4. That rules out substitute and ff1 with
// recompute_check for S3 types: both make valid identifiers, which a
// rescan reports again. So:
//
//	cn_resident_id, hk_id, tw_id,   ff1, check character deliberately wrong
//	bank_card, iban                 (resident IDs end in X unless X was right;
//	                                card tokens also fail GB 11643)
//	cn_passport, hk_macau_permit,   mask (E******78): no check character, so
//	tw_permit, cn_license_plate,    an ff1 token would still be valid
//	cn_uscc
//	cn_mobile, cn_landline,         mask (138****5678, z****.***@example.com,
//	phone_number, email, imei,      TAC/OUI kept for imei and MAC)
//	mac_address, ipv6, person_name
//	ipv4                            generalize to /16: 10.20.*.*
//	gps_coordinate                  generalize to one decimal (~10 km); the
//	                                scanner reports pairs from two on
//	cn_address                      generalize to the city: 广东省广州市
//	location_trace                  redact
//	biometric, religious_belief,    redact whole (empty, null, [])
//	medical_health,
//	specific_identity (categories)
//	anything else                   tag (<employee_no>); fallback redact
//
// The ff1 entries read PIISCAN_REDACT_KEY; when it is unset a random key is
// used for the run and Policy.RandomKeys says so: tokens then neither
// reverse nor join across runs. TestDefaultPolicyRescan checks the
// property with the real scanner on thousands of generated values.
package deid
