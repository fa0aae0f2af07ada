package classifiers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numberCase is a text and the matches expected in it, each written
// "data_type:masked" and joined by spaces ("" for none).
type numberCase struct{ text, want string }

func runNumberCases(t *testing.T, cases []numberCase) {
	t.Helper()
	e := builtinEngine(t)
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			var got []string
			for _, m := range scanString(t, e, c.text).ms {
				got = append(got, m.DataType+":"+m.Masked)
			}
			assert.Equal(t, c.want, strings.Join(got, " "), "%q", c.text)
		})
	}
}

// Landlines: full-width parentheses, the 0086 prefix, and eight digits
// after the two-digit area codes.
func TestLandlineForms(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"联系电话（010）62345678", "cn_landline:0106*****78"},
		{"电话（0755）8765 4321", "cn_landline:0755******21"},
		{"（010） 6234-5678 转", "cn_landline:0106*****78"},
		{"电话：0086 21 61234567", "cn_landline:0216*****67"},
		{"tel 0086-755-87654321", "cn_landline:0755******21"},
		{"电话：010-6234567", ""},
		{"电话 021 6123456", ""},
		{"（010）6234567", ""},
		// Unchanged.
		{"(010)62345678", "cn_landline:0106*****78"},
		{"电话 0755-2345678", "cn_landline:0755*****78"},
		{"tel +86 21 6123 4567", "cn_landline:0216*****67"},
		{"（010）", ""},
		{"第（123）条", ""},
		{"电话：0086 138 1234 8000", "cn_mobile:138****8000"},
		// One parenthesis of each form (folded full-width text).
		{"电话（010)62345678", "cn_landline:0106*****78"},
		{"电话 (0755）8765 4321", "cn_landline:0755******21"},
		{"（010", ""},
	})
}

// A landline is not cut out of a longer sequence of digit groups, unless
// the sequence is clearly two values.
func TestLandlineNotInsideLongerSequence(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"激活码 0571 8888 6666 1234", ""},
		{"账号 1234 0755 8765 4321 00", ""},
		{"编号 0755 8765 4321 12", ""},
		{"身份证 1101 0519 9003 0712 39", "cn_resident_id:110***********1239"},
		{"身份证 1101 0519 9003 0712 38", ""},
		// Two values.
		{"电话 010-62345678 13812348000", "cn_landline:0106*****78 cn_mobile:138****8000"},
		{"电话 13812348000 010 62345678", "cn_mobile:138****8000 cn_landline:0106*****78"},
		{"电话 010 6234 5678 13812348000", "cn_landline:0106*****78 cn_mobile:138****8000"},
		{"电话 010-62345678-1234", "cn_landline:0106*****78"},
		{"电话 0755 8765 4321", "cn_landline:0755******21"},
	})
}

// A disability certificate number is the holder's resident ID and two
// digits (category, level).
func TestDisabilityCertificate(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"残疾人证号：11010519900307123942", "cn_resident_id:110***********1239"},
		{"残疾证 11010519900307123911", "cn_resident_id:110***********1239"},
		{"残疾人证号：11010519900307123982", ""}, // category 8
		{"残疾人证号：11010519900307123945", ""}, // level 5
		{"残疾人证号：11010519900307123842", ""}, // bad check digit
		{"11010519900307123942", ""},
		{"交易流水号：11010519900307123942", ""},
		{"身份证 11010519900307123942", ""},
	})
}

// Lower-case identifiers are validated like upper-case ones and reported
// in upper case; mixed case is not an identifier.
func TestLowerCaseIdentifiers(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"iban de89370400440532013000", "iban:DE89**************3000"},
		{"iban de89 3704 0044 0532 0130 00", "iban:DE89**************3000"},
		{"gb82west12345698765432", "iban:GB82**************5432"},
		{"护照号码：e12345678", "cn_passport:E******78"},
		{"z683365(a)", "hk_id:Z******A"},
		{"hkid z6833653", ""}, // bad check digit
		{"hkid a1234563", "hk_id:A******3"},
		{"身分證 a123456789", "tw_id:A*******89"},
		{"统一社会信用代码 91350100m000100y43", "cn_uscc:91350100********43"},
		// In lower case without context: commit hashes, generated names.
		{"a123456789", ""},
		{"commit e284265919 fix", ""},
		{"var x802714224 = 1", ""},
		{"91350100m000100y43", ""},
		// Hex strings and words: structure and check characters as in
		// upper case, and context for the shapes a hex string takes.
		{"de89370400440532013000", ""},
		{"de89370400440532013001", ""},
		{"commit a1234563", ""},
		{"a123456788", ""},
		{"e12345678", ""},
		{"91350100m000100y44", ""},
		{"LV80 bANK 0000 4351 9500 1", ""},
		{"GB82west12345698765432", ""},
		{"Z683365(a)", ""},
		{"aB9876543", ""},
		{"icd e11.9", ""},
		// Unchanged.
		{"IBAN DE89 3704 0044 0532 0130 00", "iban:DE89**************3000"},
		{"A123456789", "tw_id:A*******89"},
		{"Z683365(A)", "hk_id:Z******A"},
		// One parenthesis of each form (folded full-width text).
		{"香港身份證 Z683365(A）", "hk_id:Z******A"},
		{"Z683365（A) ok", "hk_id:Z******A"},
		{"Z683365（A", ""},
		{"Z683365(", ""},
	})
}

// Digit-only credit codes are vetoed by a negative label, unless a credit
// code keyword stands between the label and the code; codes with letters
// are proven by their check character.
func TestUSCCNegativeKeywords(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"订单号：893198797198377412", ""},
		{"交易流水 893198797198377412", ""},
		{"order no 893198797198377412", ""},
		{"893198797198377412", "cn_uscc:89319879********12"},
		{"订单号 1，统一社会信用代码 893198797198377412", "cn_uscc:89319879********12"},
		// The label is nearer than the keyword: it names the number.
		{"统一社会信用代码 订单号 893198797198377412", ""},
		{"订单号 91350100M000100Y43", "cn_uscc:91350100********43"},
	})
}

// HKIDs with the check character in full-width parentheses or after a
// space.
func TestHKIDBrackets(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"香港身份證 Z683365（A）", "hk_id:Z******A"},
		{"Z683365 (A)", "hk_id:Z******A"},
		{"A123456 (3) ok", "hk_id:A******3"},
		{"Z683365（3）", ""},
		{"Z683365 (B)", ""},
		{"Z683365  (A)", ""},
		{"Z683365(A)", "hk_id:Z******A"},
		// One parenthesis of each form (folded full-width text).
		{"香港身份證 Z683365(A）", "hk_id:Z******A"},
		{"Z683365（A) ok", "hk_id:Z******A"},
		{"Z683365（A", ""},
		{"Z683365(", ""},
	})
}

// Solid HKIDs of at most two distinct digits ("B4000000", a baud-rate
// constant of golang.org/x/sys, passes the check) need context: in code
// and part numbers they are not IDs. Others, and the parenthesised form,
// do not.
func TestHKIDFewDigits(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"B4000000 = 0x1010", ""},
		{"speed: unix.B4000000,", ""},
		{"HKID B4000000", "hk_id:B******0"},
		{"香港身份證 B4000000", "hk_id:B******0"},
		{"A1234563", "hk_id:A******3"},
		{"B400000(0)", "hk_id:B******0"},
	})
}

// A solid HKID after an OpenPGP label is a key ID (gpg's output quoted in
// git's documentation); with its check in parentheses, or with an HKID
// keyword nearer, it is an HKID.
func TestHKIDKeyIDs(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"gpg: Signature made Wed Jun 15 10:56:46 2016 CEST using RSA key ID B7227189\ngpg: Good signature", ""},
		{"pub rsa4096 keyid=B7227189", ""},
		{"holder B7227189 renewed", "hk_id:B******9"},
		{"gpg key B722718(9)", "hk_id:B******9"},
		{"gpg key, HKID B7227189", "hk_id:B******9"},
	})
}

// A solid HKID or Taiwan ID that names a folder or a file (a test case, a
// bug number) needs context; in parentheses, or next to a keyword, it is
// found.
func TestIDsInPaths(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"Passed: tools/javac/A1234563/Timing.java", ""},
		{"tools/javac/A1234563", ""},
		{"A1234563.java", ""},
		{`C:\cases\A1234563\run.log`, ""},
		{"HKID docs/A1234563.pdf", "hk_id:A******3"},
		{"docs/A123456(3).pdf", "hk_id:A******3"},
		{"A1234563 renewed", "hk_id:A******3"},
		{"id=A1234563&x=1", "hk_id:A******3"},
		{"scans/F223456786.png", ""},
		{"身分證 scans/F223456786.png", "tw_id:F*******86"},
		{"F223456786 ok", "tw_id:F*******86"},
	})
}

// TestValueNotInsideNumberRun: groups cut from the middle of a run of
// numbers (a table, a drawing, a catalogue's rows) are not a card or a
// mobile, however their checksum falls; a value written in groups next to
// other words, or a list of such values, still is.
func TestValueNotInsideNumberRun(t *testing.T) {
	e := builtinEngine(t)
	card := string(withLuhnDigit([]byte("622202001234567"))) // UnionPay, 16 digits
	grouped := card[:4] + " " + card[4:8] + " " + card[8:12] + " " + card[12:]
	tests := []struct {
		text, typ string
		want      int
	}{
		{"5917 " + grouped + " 6098 6135", "bank_card", 0},
		{"insert ( 10656 " + grouped + " 4617 )", "bank_card", 0},
		{"10 20 138 1234 8000 30", "cn_mobile", 0},
		{"5226 5259 " + grouped + " \n", "bank_card", 0},
		{"10 20 138 1234 8000", "cn_mobile", 0},
		{"张三 25 138 1234 8000", "cn_mobile", 1},
		{"卡号 " + grouped + " 已绑定", "bank_card", 1},
		{"卡号 " + grouped, "bank_card", 1},
		{grouped + " 12 27", "bank_card", 1},
		{"第 3 张 " + grouped, "bank_card", 1},
		{"card " + grouped + " exp 12/27", "bank_card", 1},
		{"电话 138 1234 8000 139 8765 4321 137 0000 1111", "cn_mobile", 3},
		{"张三 138 1234 8000 25 北京", "cn_mobile", 1},
		{"row 1 " + card + " 2", "bank_card", 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, scanString(t, e, tt.text).count(tt.typ), "%q", tt.text)
		})
	}
}

// A number followed by a unit of measure is a measurement: Go benchmark
// results ("19319967000 build-user-ns/op"), times and sizes.
func TestMeasurementsAreNoValues(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"BenchmarkX 1 7773778489 build-real-ns/op 13812348000 build-user-ns/op", ""},
		{"BenchmarkX-2 100 13812348000 ns/op 512 B/op", ""},
		{"took 13812348000 ns", ""},
		{"size 13812348000 bytes", ""},
		{"rate 13812348000 MB/s", ""},
		{"tel 13812348000 now", "cn_mobile:138****8000"},
		{"tel 13812348000 nsfw", "cn_mobile:138****8000"},
		{"13812348000 Bob", "cn_mobile:138****8000"},
		{"13812348000", "cn_mobile:138****8000"},
	})
}

// A minus sign before the digits makes a negative number, and a card-like
// number in a comma-separated list of long numbers that are not cards is
// one of a table of constants (Go's math/rand seed table gave 33 cards,
// its tests 16 more). Lists of cards, a card beside one order number and a
// dash that lists or joins are kept.
func TestNegativeAndListedNumbers(t *testing.T) {
	card := string(withLuhnDigit([]byte("457612345678901234"))) // Visa, 19 digits
	card2 := string(withLuhnDigit([]byte("401288888888188")))
	notCard := func(prefix string) string { // Luhn fails
		d := withLuhnDigit([]byte(prefix))
		d[len(d)-1] = '0' + (d[len(d)-1]-'0'+1)%10
		return string(d)
	}
	n1, n2, n3 := notCard("918123456789012345"), notCard("139512345678901234"), notCard("533312345678901234")
	masked := "bank_card:" + card[:6] + strings.Repeat("*", len(card)-10) + card[len(card)-4:]
	runNumberCases(t, []numberCase{
		{"x := -" + card, ""},
		{"{-" + card + ", 7}", ""},
		{"ADDV\t$-" + card + ", R4", ""},
		{"Unix(-19012425939, 649146258)", ""},
		{"tel -13812348000", ""},
		{"var rngCooked = [...]int64{\n\t-" + n1 + ", " + card + ", " + n2 + ",\n\t" + n3 + ", 1}", ""},
		{n1 + ", -" + n2 + ",\n\t\t" + card, ""},
		{"Element{" + n1 + ".5, " + card + ", " + n2 + "}", ""},
		{"card " + card, masked},
		{"- " + card, masked},
		{"ids " + n1 + ", " + card, masked},
		{"cards: " + card2 + ", " + card + ", " + card2, "bank_card:401288******1881 " + masked + " bank_card:401288******1881"},
		{n1 + ", " + card + ", 100", masked},
		// One neighbour of four passing the card checks too (one in
		// twenty does in math/rand's table), or a negative one that would.
		{n1 + ", " + n2 + ", " + card + ", " + n3 + ", " + card2 + ", " + n1, ""},
		{n1 + ", " + n2 + ", " + card + ", -" + card2 + ", " + n3, ""},
		// One number per line: a column of numbers, or a file of cards.
		{"956722026041\n1548008755920\n2504730781961\n4052739537881\n6557470319842\n10610209857723\n", ""},
		{n1 + "\r\n" + n2 + "\r\n" + card + "\r\n" + n3 + "\r\n", ""},
		{card2 + "\n" + card + "\n" + card2 + "\n", "bank_card:401288******1881 " + masked + " bank_card:401288******1881"},
		{card2 + "\n" + n2 + "\n" + card + "\n" + card2 + "\n", "bank_card:401288******1881 " + masked + " bank_card:401288******1881"},
		{"orders:\n" + n1 + "\n" + card + "\nok\n", masked},
		{n1 + "\n" + n2 + "\n卡号 " + card + "\n" + n3 + "\n", masked},
		// Numbers of a card network's prefix and length that fail Luhn
		// are neither: UnionPay's test cards, listed one per line.
		{"6222000000000000\n6221258812340000\n" + card + "\n622018111111111111\n" + n3 + "\n", masked},
		// A negative neighbour: a table of constants.
		{"5092019688680754699, -227247482082248967,\n\t\t" + card + ", 5027558287275472836, 4635198586344772304", ""},
		// Cards for neighbours as often as not: a list of cards.
		{card2 + ", " + n2 + ", " + card + ", " + card2, "bank_card:401288******1881 " + masked + " bank_card:401288******1881"},
		{"Alice, " + card + ", " + n1 + ", " + n2, masked},
		{"tel - 13812348000", "cn_mobile:138****8000"},
		{"tel:13812348000", "cn_mobile:138****8000"},
	})
}

// Stroke codes (digits 1 to 5, one per stroke of a Han character) listed
// one per line, as in glibc's cns11643_stroke collation table, read as
// mobiles and Luhn-valid cards. A word of such digits is not a value when
// two lines next to it hold one at the same place; a list of numbers, a
// code beside one other code, and a code inside a word are kept.
func TestStrokeCodeColumns(t *testing.T) {
	line := func(u, code string) string { return "<U" + u + "> <U" + u + ">;IGNORE;IGNORE;IGNORE # " + code + "\n" }
	table := line("3AF3", "13115342511") + line("3C2E", "13115343534") + line("8123", "4245433543541452") +
		line("9FC1", "4411523545324432") + line("46D4", "13115343544")
	runNumberCases(t, []numberCase{
		{table, ""},
		// The first and last lines have two codes on one side.
		{line("3C2E", "13115343534") + line("8123", "13115343544") + line("9FC1", "4411523545324432"), ""},
		// Beside codes of under seven digits, or one code only: kept.
		{line("4E00", "1234") + line("3C2E", "13115343534") + line("4E01", "12"), "cn_mobile:131****3534"},
		{line("4E00", "noted") + line("3C2E", "13115343534") + line("8123", "13115343544") + line("4E01", "12"),
			"cn_mobile:131****3534 cn_mobile:131****3544"},
		// A list of mobiles, one of them written with 1 to 5 only, each
		// after its holder's name.
		{"张伟 13812348000\n李娜 13512345432\n王芳 13912345678\n",
			"person_name:张* cn_mobile:138****8000 person_name:李* cn_mobile:135****5432 person_name:王* cn_mobile:139****5678"},
		// Without line breaks at the ends of the text.
		{"13115342511\n13115343534\n13115343544", ""},
		// Codes at another place in the line, or inside a word.
		{"a 13115343534\n13115343544 b\na 13115342511\n", "cn_mobile:131****3534 cn_mobile:131****3544 cn_mobile:131****2511"},
		{"id=13115342511\nid=13115343534\nid=13115343544\n", "cn_mobile:131****2511 cn_mobile:131****3534 cn_mobile:131****3544"},
	})
}

// TestCardAmongCodes: four groups of four digits that pass every card
// check are no card when they are cut from a line of four-character codes
// (hex code points in Perl's collation tables, a column of numbers in a
// man page), nor the 13 digits of a table row written 4-4-4-1. A card
// beside one code, a list of cards on one line, and a card followed by a
// mobile, an expiry date or a word are kept.
func TestCardAmongCodes(t *testing.T) {
	for _, d := range []string{"5211521252135214", "5112511851145110", "5498546354675464", "2650151415141514", "5067506950694", "4077108310834"} {
		require.True(t, luhn([]byte(d)) && cardIIN([]byte(d)) && cardLength([]byte(d)), "%s is not a decoy", d)
	}
	runNumberCases(t, []numberCase{
		// Hex code points: at the start of a line, its middle, its end.
		{"5211 5212 5213 5214 5215 5216 5217 5218 5219 521A\n521B 52A3\n", ""},
		{"9F52\n5112 5118 5114 5110 5115 5180 51AA 51DD\n", ""},
		{"546B 547A\n5460 5498 5463 5467 5464 56F7 56F9\n", ""},
		{"51EB 51FC 5498 5463 5467 5464\n", ""},
		{"540F 5410\n5211 5212 5213 5214 20BBF 20BC6 56DD\n", ""},
		{"5B59 21944 5211 5212 5213 5214\n", ""},
		{"qdisc ets 1: root refcnt 2 bands 8 quanta 2650 1514 1514 1514 1514 1514 1514 1514 priomap 7 6 5", ""},
		{"insert ( 10053 5067 5069 5069 4 s 5076 403 0 )", ""},
		{"insert ( 10752 4077 1083 1083 4 s 1113 3580 0 )", ""},
		// Kept.
		{"5211 5212 5213 5214\n", "bank_card:521152******5214"},
		{"卡号 5211 5212 5213 5214 ABCD", "bank_card:521152******5214"},
		{"face 5211 5212 5213 5214 dead beef", "bank_card:521152******5214"},
		{"5211 5212 5213 5214 20BBFA 20BC6\n", "bank_card:521152******5214"},
		{"4111 1111 1111 1111 5500 0000 0000 0004 3530 1113 3330 0000\n",
			"bank_card:411111******1111 bank_card:550000******0004 bank_card:353011******0000"},
		{"张伟 5211 5212 5213 5214 138 1234 8000", "bank_card:521152******5214 cn_mobile:138****8000"},
		{"5211 5212 5213 5214 12 25 123", "bank_card:521152******5214"},
		{"6212 3456 7890 1234 569 6212 3456 7890 1234 569\n", "bank_card:621234*********4569 bank_card:621234*********4569"},
		{"6212 3456 7890 1234 569 6212 3456 7890 1234 560\n", ""},
	})
}

// TestCardSlugTail: a number joined by '-' or '_' to the word before it
// ends an identifier or a file name (OSS-Fuzz test cases in harfbuzz's
// changelog, a prerelease version); as in an object's name, a card there
// needs a card keyword.
func TestCardSlugTail(t *testing.T) {
	runNumberCases(t, []numberCase{
		{" ...testcase-minimized-hb-repacker-fuzzer-5390364397928448 | Bin 0 -> 423 bytes", ""},
		{"clusterfuzz_5390364397928448.ttf", ""},
		{"@dcloudio/uts-linux-x64-gnu\t3.0.0-alpha-3070020230201003\t2834", ""},
		{"card-5390364397928448", "bank_card:539036******8448"},
		{"卡号-5390364397928448", "bank_card:539036******8448"},
		{"付款 5390364397928448", "bank_card:539036******8448"},
		{"x-1 5390364397928448", "bank_card:539036******8448"},
	})
}

// TestCardHexDigits: ASCII digits written in hex have a '3' in every
// other place ("3931363434393237" is "91644927"), as test vectors' messages
// do; no card is so made, even with a card keyword, in text or a column.
func TestCardHexDigits(t *testing.T) {
	runNumberCases(t, []numberCase{
		{`"msg": "3931363434393237",`, ""},
		{"card 3931363434393237", ""},
		{"card 5383531333639383", ""},
		{"(csv) card_no|3931363434393237", ""},
		{"card 36227206271667", "bank_card:362272****1667"},
		{"card 5383531333639384", ""},
		{"card 5555555555554444", "bank_card:555555******4444"},
	})
	assert.False(t, Validators["bank_card"]([]byte("3931363434393237")))
	assert.True(t, Validators["bank_card"]([]byte("5555555555554444")))
}

// TestCardCastArg: a number converted to an integer type in code is a
// constant (Go's math/rand regression tables: "int64(6715870808026712034),
// // Int()"); a card in a call or after another word is kept.
func TestCardCastArg(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"\tint64(6715870808026712034), // Int()\n", ""},
		{"\tuint64(6715870808026712034),\n", ""},
		{"x := big.NewInt(6715870808026712034)\n", ""},
		{"BigInt(6715870808026712034)", ""},
		{"pay(5555555555554444)", "bank_card:555555******4444"},
		{"printint(5555555555554444)", "bank_card:555555******4444"},
		{"mint(5555555555554444)", "bank_card:555555******4444"},
		{"card (5555555555554444)", "bank_card:555555******4444"},
	})
}

// TestMobileAfterPlus: after a '+' the first digits are a country code,
// so eleven digits starting with 1 are a North American number (an
// example's "+15505551234"), never a mainland mobile, which needs +86.
func TestMobileAfterPlus(t *testing.T) {
	runNumberCases(t, []numberCase{
		{`PhoneNumber: "+15505551234"`, ""},
		{"tel +13812345678", ""},
		{"?phone=%2B13812345678", ""},
		{"tel +16502530000", "phone_number:+165******00"},
		{"tel +8613812345678", "cn_mobile:138****5678"},
		{"tel 13812345678", "cn_mobile:138****5678"},
		{"tel +86 138 1234 5678", "cn_mobile:138****5678"},
	})
}

// TestKeywordCamelCase: a keyword in text starts a word at a camelCase
// hump as at a separator, for the keywords that give a value its context
// and for those that veto it ("reqNonce", a 19-digit nonce in a JDK test
// log that passed the card checks; "maxMemory", a byte count read as a
// mobile); glued to lower-case letters it is not a word.
func TestKeywordCamelCase(t *testing.T) {
	runNumberCases(t, []numberCase{
		{"reqNonce: 3843061514398340071\n", ""},
		{"req_nonce: 3843061514398340071\n", ""},
		{"reqnonce: 3843061514398340071\n", "bank_card:384306*********0071"},
		{"userPassport: E12345678", "cn_passport:E******78"},
		{"userpassport: E12345678", ""},
		{"holderImei=490154203237518", "imei:49015420*****18"},
		{"HOLDERIMEI=490154203237518", ""},
		{"processors\\:6,maxMemory\\:16769056768,maxSwap\\:128849014784]", ""},
		{"maxmemory 13812348000", "cn_mobile:138****8000"},
	})
}

// TestMobileByteSizes: an 11-digit size in bytes is not a mobile: after a
// memory or size label (JDK test logs, Node.js's diagnostic report), or a
// whole number of mebibytes whatever the label (one mobile in a million
// is).
func TestMobileByteSizes(t *testing.T) {
	runNumberCases(t, []numberCase{
		{`"free_memory": "1598337024", "total_memory": "17179869185"`, ""},
		{"file size 13812348000", ""},
		{`"timestamp": 19287398741,`, ""},
		{"memory 13812348000 手机 13912345678", "cn_mobile:139****5678"},
		{`{"4294967296", 2, "17179869184"}`, ""},
		{"// * 17179869184", ""},
		{"limit 13958643712", ""},
		{"tel 13958643713", "cn_mobile:139****3713"},
	})
}
