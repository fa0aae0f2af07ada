package classifiers

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// found returns the masked values of the matches of one data type.
func (c *collector) found(dataType string) []string {
	var out []string
	for _, m := range c.ms {
		if m.DataType == dataType {
			out = append(out, m.Masked)
		}
	}
	return out
}

// TestGPSPairLabelOrder: a label naming the whole pair gives its order:
// 经纬度 and lnglat (AMap, Baidu) longitude first, 纬经度 and latlng
// latitude first, unless only the other order is in range.
func TestGPSPairLabelOrder(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string // masked lat,lng
	}{
		{"经纬度：116.407400,39.904200", []string{"39.90,116.41"}},
		{"lnglat=121.473701,31.230416", []string{"31.23,121.47"}},
		{"lng_lat: 121.473701, 31.230416", []string{"31.23,121.47"}},
		{"lonlat=-73.985700,40.748400", []string{"40.75,-73.99"}},
		{"lng,lat: -73.9857,40.7484", []string{"40.75,-73.99"}},
		{"經緯度 121.5654,25.0330", []string{"25.03,121.57"}},
		{"latlng=39.904200,116.407400", []string{"39.90,116.41"}},
		{"lat_lng 40.748400,-73.985700", []string{"40.75,-73.99"}},
		{"lat,lng: 39.904200,116.407400", []string{"39.90,116.41"}},
		{"纬经度 39.90,116.40", []string{"39.90,116.40"}},
		// Only the other order is in range: the numbers win.
		{"经纬度：39.904200,116.407400", []string{"39.90,116.41"}},
		{"latlng=116.407400,39.904200", []string{"39.90,116.41"}},
		// Still working.
		{"位置：116.407400,39.904200", []string{"39.90,116.41"}},
		{"lat: 31.230416, lng: 121.473701", []string{"31.23,121.47"}},
		{"lng: 121.473701, lat: 31.230416", []string{"31.23,121.47"}},
		{"经度116.40 纬度39.90", []string{"39.90,116.40"}},
		{"纬度：39.9042 经度：116.4074", []string{"39.90,116.41"}},
		{"(22.5431, 114.0579)", []string{"22.54,114.06"}},
		{"price 120.5000,190.2500", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).found("gps_coordinate"))
		})
	}
}

// TestBankCardOrderNumbers: invoice, contract, serial and payment order
// numbers that pass Luhn are not cards, in text or in columns so named;
// a card label or column still wins.
func TestBankCardOrderNumbers(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		card bool
	}{
		{"发票号码 6222021234567894", false},
		{"发票号：4111111111111111", false},
		{"序列号 6222021234567894", false},
		{"批次号:6222021234567894", false},
		{"合同编号 6228480402564890018", false},
		{"编号 6222021234567894", false},
		{"trade_no=6222021234567894", false},
		{"out_trade_no=4111111111111111&total=1", false},
		{`{"request_id": "6222021234567894"}`, false},
		{"SN: 6222021234567894", false},
		{"(csv) out_trade_no,发票号码|6222021234567894,4111111111111111", false},
		{"(csv) outTradeNo,amount|6222021234567894,12.50", false},
		{"(csv) request_id,sn|6222021234567894,4111111111111111", false},
		{"(csv) 合同编号|6228480402564890018", false},
		// Cards keep matching.
		{"卡号 6217000010001234569", true},
		{"卡号：6222021234567894 编号 1", true},
		{"发票号码 123，银行卡 6222021234567894", true},
		{"6228480402564890018", true},
		{"card: 4111 1111 1111 1111", true},
		{"(csv) card_no,发票号码|6222021234567894,12", true},
		{"(csv) name,card_no|x,6222021234567894", true},
		{"snapshot 6222021234567894", true},
	}
	sc := e.NewScanner()
	for _, tt := range tests {
		found, err := runExample(context.Background(), sc, tt.text)
		require.NoError(t, err)
		assert.Equal(t, tt.card, found.has("bank_card"), tt.text)
	}
}

// TestEmailURLUserinfo: the password of a connection string's userinfo
// (scheme://user:password@host), an SSH git remote and a message id are
// not addresses; addresses elsewhere in URLs, after mailto: and in other
// headers are.
func TestEmailURLUserinfo(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string
	}{
		{"DATABASE_URL=postgres://app:s3cret@db.internal.example.com:5432/app", nil},
		{"postgresql://app:s3cret@db.example.com/app?sslmode=require", nil},
		{"MONGO_URI=mongodb+srv://admin:pa55w0rd@cluster0.example.mongodb.net/db", nil},
		{"mongodb://user:pass@mongo1.example.com:27017,mongo2.example.com:27017/db", nil},
		{"REDIS_URL=redis://:s3cret@redis.example.com:6379/0", nil},
		{"redis://default:p@ss@redis.example.com:6379", nil},
		{"mysql://root:hunter2@db.example.com:3306/app", nil},
		{"amqp://guest:guest@rabbit.example.com:5672/", nil},
		{"git clone git@github.com:org/repo.git", nil},
		{"remote.origin.url=git@gitlab.example.com:group/project.git", nil},
		{"ssh://git@github.com/org/repo.git", nil},
		// Still addresses.
		{"mailto:zhang.san@example.com", []string{"z***@example.com"}},
		{"email=zhang.san@example.com", []string{"z***@example.com"}},
		{"https://example.com/unsubscribe?email=zhang.san@example.com", []string{"z***@example.com"}},
		{"<a href=\"mailto:li.si@example.org\">", []string{"l***@example.org"}},
		{"ftp://zhang.san@example.com", []string{"z***@example.com"}},
		{"contact git@example.com for access", []string{"g***@example.com"}},
		{"From: git@example.com: merged", []string{"g***@example.com"}},
		{"user:zhang.san@example.com", []string{"z***@example.com"}},
		{"https://example.com/a:b zhang.san@example.com", []string{"z***@example.com"}},
		// Message ids in the headers that hold them are no mailboxes; the
		// addresses of From and Reply-To are.
		{"Date: Tue, 5 Nov 2024\nMessage-ID: <9ef6a76dac7980a2.9696016902@mail.example.com>\n", nil},
		{"message-id:<a81472be-560d@mail.gmail.com>", nil},
		{"In-Reply-To: <x1@mail.example.com>\nReferences: <x0@mail.example.com>\n\t<x1@mail.example.com>\n", nil},
		{"Resent-Message-ID: <r@mail.example.com>", nil},
		{"From: Zhang San <zhang.san@example.com>\nMessage-ID: <m@mail.example.com>\n", []string{"z***@example.com"}},
		{"Reply-To: <li.si@example.org>", []string{"l***@example.org"}},
		{"Message-ID: <m@mail.example.com>\nCc: <li.si@example.org>", []string{"l***@example.org"}},
		{"References: see li.si@example.org", []string{"l***@example.org"}},
		// Near an SSH implementation's domain and names, not at them: a
		// domain or name shorter than theirs once crashed the comparison,
		// a longer one was cut to theirs.
		{"mail zh-san@ssh.co ok", []string{"z***@ssh.co"}},
		{"mail zlib@openssh.com.cn", []string{"z***@openssh.com.cn"}},
		{"mail zl@openssh.com", []string{"z***@openssh.com"}},
		{"mail zlibby@openssh.com", []string{"z***@openssh.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).found("email"))
		})
	}
}

// TestPercentEncodedValues: an e-mail address with its '@' written %40
// and a phone number after %2B, in a URL's query, are found, with the
// same canonical value (fingerprint) as written plainly.
func TestPercentEncodedValues(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text, dataType, plain string
		span                  string // the bytes the match covers
	}{
		{"GET /subscribe?email=zhang%40example.com HTTP/1.1", "email", "zhang@example.com", "zhang%40example.com"},
		{"/u?e=Li.Si%40Mail.QQ.com&x=1", "email", "li.si@mail.qq.com", "Li.Si%40Mail.QQ.com"},
		{"/u?e=li%40163.com&x=1", "email", "li@163.com", "li%40163.com"}, // the domain starts with digits
		{"GET /sms/send?phone=%2B8613812348000", "cn_mobile", "13812348000", "%2B8613812348000"},
		{"to=%2b8613812348000&t=1", "cn_mobile", "13812348000", "%2b8613812348000"},
		{"GET /call?to=%2B14155552671 HTTP/1.1", "phone_number", "+1 415-555-2671", "%2B14155552671"},
		// Any other escape of a byte that is no letter or digit ends a
		// word as the byte does: '=', ' ', ':', ',' and the last byte of
		// an escaped Chinese character (张三 before the number), also
		// where the escape's hex digits are digits and the fast path for
		// a long run of digits took "2013812348000" for one number.
		{"phone%3D13812348000.png", "cn_mobile", "13812348000", "13812348000"},
		{"Zhang%20San%2013812348000.png", "cn_mobile", "13812348000", "13812348000"},
		{"%E5%BC%A0%E4%B8%8913812348000.jpg", "cn_mobile", "13812348000", "13812348000"},
		{"/q?ids=1%2C6222021234567894", "bank_card", "6222021234567894", "6222021234567894"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			c := scanString(t, e, tt.text)
			require.Equal(t, []string{tt.dataType}, c.types())
			m := c.ms[0]
			assert.Equal(t, tt.span, tt.text[m.Start:m.End])
			p := scanString(t, e, tt.plain)
			require.Len(t, p.ms, 1)
			assert.Equal(t, p.ms[0].Fingerprint, m.Fingerprint)
		})
	}
	// Not values: an escape on its own, or one that leads nowhere.
	for _, text := range []string{"100%40", "x%40y", "a%40localhost", "%2B", "%2Bfoo", "rate=5%2B3", "q=%40example.com", "%4113812348000", "%3D1381234800012"} {
		assert.Empty(t, scanString(t, e, text).types(), text)
	}
}

// TestProseAddressOverlap: anchors of one address (6号 and 3号 in
// 6号院3号楼) report it once, the longest; separate addresses stay apart.
func TestProseAddressOverlap(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string // the bytes of each match
	}{
		{"地址：北京市朝阳区阜通东大街6号院3号楼", []string{"北京市朝阳区阜通东大街6号院3号"}},
		{"地址：北京市朝阳区阜通东大街6号院3号楼2单元501室", []string{"北京市朝阳区阜通东大街6号院3号楼2单元501室"}},
		{"住在上海市徐汇区漕溪北路88号院2号楼", []string{"上海市徐汇区漕溪北路88号院2号"}},
		{"寄往广东省深圳市南山区科技南路18号2栋301室", []string{"广东省深圳市南山区科技南路18号2栋301室"}},
		{"家庭住址：北京市朝阳区建国路88号，公司地址：上海市浦东新区世纪大道100号",
			[]string{"北京市朝阳区建国路88号", "上海市浦东新区世纪大道100号"}},
		{"建国路88号", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range scanString(t, e, tt.text).ms {
				if m.DataType == "cn_address" {
					got = append(got, tt.text[m.Start:m.End])
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestIPv4NotPersonal: a version after a User-Agent product name, the
// loopback network and a document's section number at the start of a
// line are not IPv4 addresses; addresses at the start of log lines, in
// URLs and paths are.
func TestIPv4NotPersonal(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		ip   bool
	}{
		{"User-Agent: MyApp/4.2.1.1 (Android 13)", false},
		{"ua=okhttp/4.9.3.1", false},
		{"Mozilla/5.0 (Linux) MyApp-Lite/10.2.0.15", false},
		{"listening on 127.0.0.1:8080", false},
		{"connect to 127.10.20.30 refused", false},
		{"client 127.0.0.1", false},
		{"bind 0.0.0.0:80", false},
		{"broadcast 255.255.255.255", false},
		{"## 5.2.3.1 个人信息的收集", false},
		{"目录\n### 5.2.3.1 个人信息的收集\n### 5.2.3.2 个人信息的使用", false},
		// Without a heading's '#', a line starting with small parts is as
		// likely an application log: reported.
		{"10.1.2.3 登录成功", true},
		{"目录\n10.0.0.5 用户admin登录", true},
		// Addresses.
		{"10.1.2.3 - - [24/Nov/2026:06:38:24 +0800] \"GET / HTTP/1.1\" 200 612", true},
		{"ok\n10.1.2.3 - - [24/Nov/2026:06:38:24 +0800] \"GET / HTTP/1.1\" 200", true},
		{"10.1.2.3 GET /index.html", true},
		{"1.2.3.4 frank [10/Oct/2000:13:55:36 -0700]", true},
		{"192.168.1.10 登录成功", true},
		{"客户端 5.2.3.1 登录", true},
		{"GET /api/hosts/10.0.0.1 HTTP/1.1", true},
		{"http://10.0.0.1/admin", true},
		{"X-Forwarded-For: 10.0.0.1, 128.0.0.1", true},
		{"client 10.0.0.1", true},
		{"upstream: 126.255.255.255", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := scanString(t, e, tt.text).found("ipv4") != nil
			assert.Equal(t, tt.ip, got)
		})
	}
	// In records, a value is not a document's line.
	found, err := runExample(context.Background(), e.NewScanner(), "(column note) 5.2.3.1 北京")
	require.NoError(t, err)
	assert.True(t, found.has("ipv4"))
}

// TestProseGeneralStatements: a category value in a statement about
// people in general (job requirements, drug labels, medical literature),
// or one its clause negates (否认, 无, denies), is not a person's data; the
// same value said of a person still is.
func TestProseGeneralStatements(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text, dataType string
		want           int
	}{
		{"招聘要求：中共党员优先，本科及以上学历", "specific_identity", 0},
		{"岗位条件：中共党员，五年以上工作经验", "specific_identity", 0},
		{"申请人须为中共党员", "specific_identity", 0},
		{"本品糖尿病患者慎用", "medical_health", 0},
		{"高血压患者禁用，孕妇忌用", "medical_health", 0},
		{"糖尿病的诊断标准：空腹血糖≥7.0mmol/L", "medical_health", 0},
		{"Requirements: practising Christian preferred", "religious_belief", 0},
		// Statements about a population.
		{"据统计，我国糖尿病患者超过1亿人", "medical_health", 0},
		{"佛教是世界三大宗教之一，信仰自由受法律保护", "religious_belief", 0},
		{"全市共有残疾人8.5万名，其中肢体残疾3万名", "specific_identity", 0},
		{"我国有56个民族，汉族人口占91%", "specific_identity", 0},
		{"diabetes patients should monitor blood sugar", "medical_health", 0},
		{"The clinic treats patients with asthma and COPD", "medical_health", 0},
		// Said of a person.
		{"员工张三是中共党员", "specific_identity", 1},
		{"政治面貌：中共党员", "specific_identity", 1},
		{"她是一名中共党员，民族为回族", "specific_identity", 2},
		{"患者张某，诊断：高血压3级", "medical_health", 1},
		{"患者要求出院，诊断：糖尿病", "medical_health", 1},
		{"patient diagnosed with asthma, follow-up required", "medical_health", 1},
		{"他信仰佛教多年", "religious_belief", 1},
		{"John was diagnosed with diabetes in 2019", "medical_health", 1},
		{"李四，男，汉族，1985年生，中共党员", "specific_identity", 2},
		{"残疾类别：肢体残疾，残疾等级：三级", "specific_identity", 1},
		// The clause before belongs to another statement.
		{"招聘已结束。员工张三是中共党员", "specific_identity", 1},
		// What a record says the person does not have.
		{"患者既往有高血压病史12年，否认肝炎、结核等传染病史", "medical_health", 1},
		{"患者无高血压、糖尿病病史", "medical_health", 0},
		{"患者无糖尿病史，有哮喘", "medical_health", 1},
		{"患者无明显诱因出现哮喘发作", "medical_health", 1},
		{"患者入院，未见肿瘤转移", "medical_health", 0},
		{"patient denies asthma; diagnosed with diabetes", "medical_health", 1},
		{"patient negative for hepatitis and tuberculosis", "medical_health", 0},
		{"政治面貌：群众，否认宗教信仰，信仰佛教的母亲", "religious_belief", 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Len(t, scanString(t, e, tt.text).found(tt.dataType), tt.want)
		})
	}
}

// TestBankCardNetworkLengths: a Luhn-valid number in an issuer range is a
// card only at a length its network issues. Logs are full of 13-19 digit
// ids (orders, tasks, batches, snowflakes); one in ten passes Luhn and a
// third start in some network's range, so without the lengths a log of
// 20,000 lines gave about a thousand S3 "cards" (an 18-digit number
// starting 52 or 23 is no Mastercard, a 13-digit one starting 65 no
// Discover card).
func TestBankCardNetworkLengths(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	// withLuhn completes a prefix to n digits (sevens, then the check digit).
	withLuhn := func(prefix string, n int) string {
		b := []byte(prefix + strings.Repeat("7", n-1-len(prefix)))
		for c := byte('0'); c <= '9'; c++ {
			if luhn(append(b, c)) {
				return string(append(b, c))
			}
		}
		panic("unreachable")
	}
	tests := []struct {
		prefix string
		n      int
		card   bool
	}{
		{"52", 16, true}, {"52", 18, false}, {"52", 19, false}, {"2345", 16, true}, {"2345", 18, false},
		{"41", 13, true}, {"41", 16, true}, {"41", 19, true}, {"41", 15, false}, {"41", 17, false}, {"41", 18, false},
		{"34", 15, true}, {"34", 16, false},
		{"36", 14, true}, {"38", 13, false}, {"38", 16, true},
		{"65", 16, true}, {"65", 19, true}, {"65", 13, false}, {"60", 15, false},
		{"3530", 16, true}, {"3530", 15, false},
		{"2201", 16, true}, {"2201", 13, false},
		{"62", 16, true}, {"62", 19, true}, {"62", 13, false}, {"81", 17, true},
		{"67", 13, true}, {"58", 18, true}, // Maestro: 12-19 digits
	}
	sc := e.NewScanner()
	for _, tt := range tests {
		v := withLuhn(tt.prefix, tt.n)
		found, err := runExample(context.Background(), sc, "payment "+v)
		require.NoError(t, err)
		assert.Equal(t, tt.card, found.has("bank_card"), "%s..., %d digits", tt.prefix, tt.n)
	}
}

// TestIBANGroups: an IBAN written in groups has a separator after every
// four characters. A 16-character hex span id followed by a word passed
// (the separator was allowed at any multiple of four, and the word's
// letters made it more than hex), so a log line gave an S3 IBAN.
func TestIBANGroups(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		iban bool
	}{
		{"span_id=de742f933684b4b1 create order", false},
		{"DE893704 0044 0532 0130 00", false},
		{"DE89 37040044 0532 0130 00", false},
		{"DE89 3704 0044 0532 0130 00", true},
		{"DE89-3704-0044-0532-0130-00", true},
		{"DE89370400440532013000", true},
		{"iban de89 3704 0044 0532 0130 00", true},
	}
	sc := e.NewScanner()
	for _, tt := range tests {
		found, err := runExample(context.Background(), sc, tt.text)
		require.NoError(t, err)
		assert.Equal(t, tt.iban, found.has("iban"), tt.text)
	}
}

// TestLabelledNamesInText: a name right after a name label in free text
// (姓名：, 持卡人：, 联系人：, 英文名) is found; a label followed by anything
// but a name, or a word glued to it, is not.
func TestLabelledNamesInText(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string
	}{
		{"姓名：魏振华    性别：男", []string{"魏**"}},
		{"联系人：徐淑珍（女儿） 18463100475", []string{"徐**"}},
		{"持卡人:王若曦\n开户行：中国农业银行", []string{"王**"}},
		{"英文名 Chan Wai Kit\n", []string{"C***********"}},
		{"姓名拼音：CHEN JUN   护照号码", []string{"C*******"}},
		{"收货人： 李娜，电话见下", []string{"李*"}},
		{"联系人电话：13812348000", nil},
		{"姓名：请填写真实姓名", nil},
		{"联系人：销售部", nil},
		{"姓名：张伟明华东", nil},
		{"申请人 Zhang", nil},
		{"the name field", nil},
		// Traditional surnames, transliterated names, Markdown's bold.
		{"姓名：鄭冠霖（台湾居民）", []string{"鄭**"}},
		{"- 姓名：艾克拜尔·玉素甫\n", []string{"艾*******"}},
		{"- **患者**：吴永刚\n", []string{"吴**"}},
		{"医师签名：白梓豪　　　\n", []string{"白**"}},
		// "name" is no label: "name: Build And Test" is a CI step, and the
		// word would cost every English text a keyword check.
		{"name: Build And Test", nil},
		// Glued labels: a short name ending at punctuation.
		{"」，收货人高婷，请您留意物流信息", []string{"高*"}},
		{"卡号见上 户名王春梅\n", []string{"王**"}},
		{"收货人信息：", nil},
		{"收货人和电话，", nil},
		{"名称和用户名相同。", nil},
		{"联系人电话13812348000", nil},
		// A gender after the name.
		{"- **患者**：吴永刚（男，42岁）", []string{"吴**"}},
		{"张文博  | 男 | 32岁 | 群众", []string{"张**"}},
		{"对象：（男士专用）", nil},
		{"诊断为高血压患者吴永刚（男", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).found("person_name"))
		})
	}
}

// TestIDHolders: a name right before an identity document or a mobile, at
// the start of a line, a list item, a value or a chat message, is its
// holder's. Words before a number mid-sentence, role words and place names
// are not names.
func TestIDHolders(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string
	}{
		{"李姐 09:50\n欧阳凤英 430104196203186123\n", []string{"欧***"}},
		{"访客: 蒋丹，450103196707114200，麻烦查一下", []string{"蒋*"}},
		{"- 韦梦瑶，护照号码 E42597570，有效期至2033年", []string{"韦**"}},
		{"1. 曹娟 身份证：230103198310227862\n", []string{"曹*"}},
		{"任艳 13812348000", []string{"任*"}},
		{"请联系司机 13812348000", nil},
		{"司机 13812348000", nil},
		{"宁夏 13812348000", nil},
		{"那填护照:G93445065", nil},
		{"本人身份证 230103198310227862", nil},
		{"编号230103198310227862", nil},
		{"已通知王芳 13812348000", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).found("person_name"))
		})
	}
}

// TestNamesInTextChunks: a name is found once at any chunk size, also when
// the document after it is owned by the next chunk.
func TestNamesInTextChunks(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	text := []byte(strings.Repeat("任艳 110101200105301904\n- 韦梦瑶，护照号码 E42597570\n吴永刚（男，42岁）\n收货人高婷，谢谢\n", 3))
	whole := scanChunks(t, e, text, len(text), userPreOn)
	names := 0
	for _, m := range whole {
		if m.rule == "person_name" {
			names++
		}
	}
	require.Equal(t, 12, names)
	for owned := 1; owned <= 64; owned++ {
		assert.Equal(t, whole, scanChunks(t, e, text, owned, userPreOn), "owned %d", owned)
	}
}

// TestPhonesOfHongKongMacaoTaiwan: the calling code in parentheses, the
// way numbers there are written, and numbers of the right length in
// ranges the metadata does not list, after a phone keyword only.
func TestPhonesOfHongKongMacaoTaiwan(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text string
		want []string
	}{
		{"電話(852) 2921 4113", []string{"+852******13"}},
		{"mobile (852) 6707 3271.", []string{"+852******71"}},
		{"聯絡電話 +852 3133 5677", []string{"+852******77"}},
		{"手機+886-2-1392-5576", []string{"+886*******76"}},
		{"ref +852 3133 5677", nil},
		{"(852) 3133 5677", nil},
		{"phone +1 (886) 512-3456", nil},
		{"(212) 555-0134", nil},
		{"(852) 2921 411", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).found("phone_number"))
		})
	}
}

// TestLeadPhrases: a value right after a person's phrase (我是, 我婆婆有)
// is that person's, without a keyword; anywhere else it is not.
func TestLeadPhrases(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	tests := []struct {
		text, dataType string
		want           int
	}{
		{"我是穆斯林，这个牛肉干是清真的吗", "religious_belief", 1},
		{"我们家信伊斯兰教，麻烦确认一下", "religious_belief", 1},
		{"我信佛教的，吃全素", "religious_belief", 1},
		{"我是来买佛教用品的", "religious_belief", 0},
		{"穆斯林餐厅，我是老板", "religious_belief", 0},
		{"我婆婆有哮喘，这个药能一起吃吗", "medical_health", 1},
		{"我因肺炎需住院治疗", "medical_health", 1},
		{"我有个问题想问", "medical_health", 0},
		{"哮喘喷雾 58元", "medical_health", 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, scanString(t, e, tt.text).count(tt.dataType))
		})
	}
}

// TestAddressWithSpaces: the levels of an address may be spaced apart.
func TestAddressWithSpaces(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	for _, text := range []string{"家庭住址：上海市 浦东新区 人民路466号阳光花园7号楼1504", "改成 四川省 成都市 武侯区 玉林南路457号万科城17栋1单元1502室"} {
		ms := scanString(t, e, text).ms
		require.Len(t, ms, 1, text)
		assert.Equal(t, "cn_address", ms[0].DataType)
		assert.True(t, strings.HasPrefix(text[ms[0].Start:], "上海市 浦东") || strings.HasPrefix(text[ms[0].Start:], "四川省 成都市"), text)
	}
}

// TestKeywordHeadsAList: a keyword ending its line names every item of the
// list under it, beyond its window; a line that is not an item ends the
// list, and a keyword inside a sentence keeps its window.
func TestKeywordHeadsAList(t *testing.T) {
	t.Parallel()
	e := builtinEngine(t)
	list := "1. 偏头痛  `G43.900`\n1. 慢性阻塞性肺疾病急性加重  `J44.100`\n1. 腰椎间盘突出症  `M51.202`\n1. 2型糖尿病  `E11.900`\n"
	tests := []struct {
		text string
		want int
	}{
		{"### 诊断\n\n" + list + "\n### 处理\n", 4},
		{"出院诊断：\n" + list, 4},
		{"出院诊断：\n" + list + "备注：高血压家族史\n", 4},
		{"### 处理\n\n" + list, 0},
		// Mid-sentence: its window reaches the first item only.
		{"诊断已完成，请取报告。\n" + list, 1},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			got := 0
			for _, m := range scanString(t, e, tt.text).ms {
				if m.DataType == "medical_health" && m.Evidence != "" && !strings.Contains(m.Evidence, "icd10") {
					got++
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
