package classifiers

// Detector indexes: the engine keeps the rule of each built-in detector in
// an array, so hot paths need no map lookup.
const (
	dCnResidentId = iota
	dHkId
	dTwId
	dCnPassport
	dCnMobile
	dEmail
	dIpv4
	dBankCard
	dIban
	dGpsCoordinate
	dCnUscc
	dCnLicensePlate
	dCnLandline
	dPhoneNumber
	dIpv6
	dMacAddress
	dImei
	dHkMacauPermit
	dTwPermit
	dCnAddress
	dPersonName
	dBiometricVector
	dFingerprintTemplate
	dFieldValue
	dLocationTrace
	numDetectors
)

// detectorIndex maps detector names to their index.
var detectorIndex = map[string]int{
	"cn_resident_id":       dCnResidentId,
	"hk_id":                dHkId,
	"tw_id":                dTwId,
	"cn_passport":          dCnPassport,
	"cn_mobile":            dCnMobile,
	"email":                dEmail,
	"ipv4":                 dIpv4,
	"bank_card":            dBankCard,
	"iban":                 dIban,
	"gps_coordinate":       dGpsCoordinate,
	"cn_uscc":              dCnUscc,
	"cn_license_plate":     dCnLicensePlate,
	"cn_landline":          dCnLandline,
	"phone_number":         dPhoneNumber,
	"ipv6":                 dIpv6,
	"mac_address":          dMacAddress,
	"imei":                 dImei,
	"hk_macau_permit":      dHkMacauPermit,
	"tw_permit":            dTwPermit,
	"cn_address":           dCnAddress,
	"person_name":          dPersonName,
	"biometric_vector":     dBiometricVector,
	"fingerprint_template": dFingerprintTemplate,
	"field_value":          dFieldValue,
	"location_trace":       dLocationTrace,
}
