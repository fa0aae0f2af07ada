package corpus

import (
	"fmt"
	"html"
	"strings"
)

// WordDOCX writes a document marked up as Word writes one: revision ids
// (w:rsid*) and run properties on every paragraph and run, a paraId per
// paragraph, and the parts Word adds to every file (styles with about 150
// definitions, a theme, settings with the revision list, a font table,
// web settings, document properties, relationships). DOCX writes the text
// alone; this is the shape of the Office files found in buckets, whose
// parts other than the body are mostly markup.
func WordDOCX(paragraphs []string) ([]byte, error) {
	const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:r="` + nsR + `" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"`
	rsid := func(i int) string { return fmt.Sprintf("00%06X", 0x1A2B30+i%97*7919) }
	var body strings.Builder
	for i, p := range paragraphs {
		fmt.Fprintf(&body, `<w:p w14:paraId="%08X" w14:textId="77777777" w:rsidR="%s" w:rsidRDefault="%s" w:rsidP="%s">`+
			`<w:pPr><w:spacing w:after="120" w:line="360" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>`+
			`<w:r w:rsidRPr="%s"><w:rPr><w:rFonts w:ascii="Calibri" w:eastAsia="宋体" w:hAnsi="Calibri" w:hint="eastAsia"/>`+
			`<w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>`+
			`<w:t xml:space="preserve">%s</w:t></w:r></w:p>`,
			0x10000000+i*2654435761%0x6fffffff, rsid(i), rsid(i+1), rsid(i+2), rsid(i+3), html.EscapeString(p))
	}
	body.WriteString(`<w:sectPr w:rsidR="00A1B2C3"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" ` +
		`w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/>` +
		`<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>`)
	var styles strings.Builder
	styles.WriteString(xmlHead + `<w:styles ` + nsW + `><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" ` +
		`w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:kern w:val="2"/><w:sz w:val="21"/>` +
		`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376">`)
	for i := range 150 {
		fmt.Fprintf(&styles, `<w:lsdException w:name="style %d" w:uiPriority="%d" w:semiHidden="1" w:unhideWhenUsed="1"/>`, i, i%100)
	}
	styles.WriteString(`</w:latentStyles>`)
	for i := range 30 {
		fmt.Fprintf(&styles, `<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/><w:basedOn w:val="Normal"/>`+
			`<w:next w:val="Normal"/><w:link w:val="Heading%dChar"/><w:uiPriority w:val="9"/><w:qFormat/><w:rsid w:val="%s"/>`+
			`<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="340" w:after="330" w:line="578" w:lineRule="auto"/>`+
			`<w:outlineLvl w:val="%d"/></w:pPr><w:rPr><w:b/><w:bCs/><w:kern w:val="44"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>`,
			i, i, i, rsid(i), i%9)
	}
	styles.WriteString(`</w:styles>`)
	var theme strings.Builder
	theme.WriteString(xmlHead + `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>` +
		`<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
		`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="4472C4"/></a:accent1>` +
		`<a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:hlink><a:srgbClr val="0563C1"/></a:hlink></a:clrScheme><a:fontScheme name="Office">`)
	for _, kind := range []string{"major", "minor"} {
		theme.WriteString(`<a:` + kind + `Font><a:latin typeface="Calibri Light" panose="020F0302020204030204"/><a:ea typeface=""/><a:cs typeface=""/>`)
		for _, s := range []string{"Jpan", "Hang", "Hans", "Hant", "Arab", "Hebr", "Thai", "Ethi", "Beng", "Gujr", "Khmr", "Knda",
			"Guru", "Cans", "Cher", "Yiii", "Tibt", "Thaa", "Deva", "Telu", "Taml", "Syrc", "Orya", "Mlym", "Laoo", "Sinh", "Mong", "Viet", "Uigh", "Geor"} {
			theme.WriteString(`<a:font script="` + s + `" typeface="Times New Roman"/>`)
		}
		theme.WriteString(`</a:` + kind + `Font>`)
	}
	theme.WriteString(`</a:fontScheme></a:themeElements></a:theme>`)
	var settings strings.Builder
	settings.WriteString(xmlHead + `<w:settings ` + nsW + `><w:zoom w:percent="100"/><w:bordersDoNotSurroundHeader/>` +
		`<w:defaultTabStop w:val="420"/><w:drawingGridVerticalSpacing w:val="156"/><w:characterSpacingControl w:val="compressPunctuation"/><w:rsids>`)
	for i := range 200 {
		settings.WriteString(`<w:rsid w:val="` + rsid(i) + `"/>`)
	}
	settings.WriteString(`</w:rsids><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`)
	fonts := xmlHead + `<w:fonts ` + nsW + `>` + strings.Repeat(`<w:font w:name="Calibri"><w:panose1 w:val="020F0502020204030204"/>`+
		`<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/><w:sig w:usb0="E4002EFF" w:usb1="C000247B" `+
		`w:usb2="00000009" w:usb3="00000000" w:csb0="000001FF" w:csb1="00000000"/></w:font>`, 8) + `</w:fonts>`
	docRels := xmlHead + `<Relationships xmlns="` + nsRels + `">`
	for i, t := range []string{"styles", "settings", "webSettings", "fontTable", "theme"} {
		target := t + ".xml"
		if t == "theme" {
			target = "theme/theme1.xml"
		}
		docRels += fmt.Sprintf(`<Relationship Id="rId%d" Type="%s/%s" Target="%s"/>`, i+1, nsRelType, t, target)
	}
	docRels += `</Relationships>`
	return Zip([]Member{
		{"[Content_Types].xml", []byte(xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
			`<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`)},
		{"_rels/.rels", []byte(xmlHead + `<Relationships xmlns="` + nsRels + `"><Relationship Id="rId1" Type="` + nsRelType +
			`/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" ` +
			`Target="docProps/core.xml"/><Relationship Id="rId3" Type="` + nsRelType + `/extended-properties" Target="docProps/app.xml"/></Relationships>`)},
		{"word/document.xml", []byte(xmlHead + `<w:document ` + nsW + `><w:body>` + body.String() + `</w:body></w:document>`)},
		{"word/_rels/document.xml.rels", []byte(docRels)},
		{"word/styles.xml", []byte(styles.String())},
		{"word/settings.xml", []byte(settings.String())},
		{"word/webSettings.xml", []byte(xmlHead + `<w:webSettings ` + nsW + `><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>`)},
		{"word/fontTable.xml", []byte(fonts)},
		{"word/theme/theme1.xml", []byte(theme.String())},
		{"docProps/core.xml", []byte(xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			`<dc:title></dc:title><dc:creator>Admin</dc:creator><cp:lastModifiedBy>Admin</cp:lastModifiedBy><cp:revision>3</cp:revision>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-02T03:04:00Z</dcterms:created>` +
			`<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-02T03:05:00Z</dcterms:modified></cp:coreProperties>`)},
		{"docProps/app.xml", []byte(xmlHead + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
			`<Template>Normal.dotm</Template><TotalTime>1</TotalTime><Pages>1</Pages><Words>100</Words><Application>Microsoft Office Word</Application>` +
			`<DocSecurity>0</DocSecurity><Lines>3</Lines><Paragraphs>1</Paragraphs><AppVersion>16.0000</AppVersion></Properties>`)},
	})
}
