package kewei

import "strings"

// SafeCell neutralises a value bound for a spreadsheet cell: text starting
// with =, +, -, @, a tab or a carriage return would be read as a formula
// (CSV injection), so it gets a leading apostrophe, which spreadsheets show
// as text. Numbers such as -12.50 are left alone.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if s[0] == '-' || s[0] == '+' {
		if _, err := ParseMoney(s); err == nil {
			return s
		}
	}
	return "'" + s
}
