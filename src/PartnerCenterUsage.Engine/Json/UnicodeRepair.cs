using System;
using System.IO;
using System.Text;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// An answer's text as Unicode text, before it is parsed: bytes that are not UTF-8 (0xFF, a surrogate written in UTF-8,
/// a sequence cut short) and <c>\u</c> escapes of a lone surrogate (<c>"\ud800"</c>, half of a character) are each read
/// as U+FFFD, as any UTF-8 decoder reads them. System.Text.Json refuses a string holding one, and a whole page of 10,000
/// rows with it; now the broken character costs that character only, wherever it is (a value, a field's name).
/// </summary>
internal static class UnicodeRepair
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] ReplacementUtf8 = [0xEF, 0xBF, 0xBD];
    private static readonly byte[] ReplacementEscape = Encoding.ASCII.GetBytes("\\uFFFD");

    /// <summary><paramref name="body"/> itself when its text is whole (nearly always: two fast passes, nothing copied), else a repaired copy.</summary>
    public static byte[] Repaired(byte[] body) =>
        IsUtf8(body) && FirstLoneSurrogateEscape(body, 0) < 0 ? body : Rewrite(body);

    private static bool IsUtf8(byte[] body)
    {
        try
        {
            StrictUtf8.GetCharCount(body);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    // Where the next \u escape of a lone surrogate starts, from start; -1 when there is none. A backslash is only ever in
    // a string of valid JSON, so escapes are found by their backslashes, each skipped with what it escapes ("\\u" is a
    // backslash and a 'u', not an escape).
    private static int FirstLoneSurrogateEscape(byte[] body, int start)
    {
        for (var i = Array.IndexOf(body, (byte)'\\', start); i >= 0 && i < body.Length; i = Array.IndexOf(body, (byte)'\\', i))
        {
            var length = EscapeLength(body, i, out var lone);
            if (lone)
            {
                return i;
            }

            i += length;
            if (i >= body.Length)
            {
                break;
            }
        }

        return -1;
    }

    // The length of the escape at i (a backslash): 12 for a surrogate pair, 6 for another \u escape, 2 otherwise, 1 when
    // nothing follows; lone when it is a \u escape of half a character.
    private static int EscapeLength(byte[] body, int i, out bool lone)
    {
        lone = false;
        if (i + 1 >= body.Length)
        {
            return 1;
        }

        if (body[i + 1] >= 0x80)
        {
            // Not an escape of valid JSON; the character after it is checked as UTF-8 like any other.
            return 1;
        }

        if (body[i + 1] != (byte)'u' || Hex(body, i + 2) is not { } unit)
        {
            return 2;
        }

        if (unit is >= 0xDC00 and <= 0xDFFF)
        {
            lone = true;
        }
        else if (unit is >= 0xD800 and <= 0xDBFF)
        {
            if (i + 7 < body.Length && body[i + 6] == (byte)'\\' && body[i + 7] == (byte)'u' && Hex(body, i + 8) is >= 0xDC00 and <= 0xDFFF)
            {
                return 12;
            }

            lone = true;
        }

        return 6;
    }

    private static int? Hex(byte[] body, int at)
    {
        if (at + 4 > body.Length)
        {
            return null;
        }

        var value = 0;
        for (var k = at; k < at + 4; k++)
        {
            var b = body[k];
            var digit = b is >= (byte)'0' and <= (byte)'9' ? b - '0' : (b | 0x20) is >= 'a' and <= 'f' ? (b | 0x20) - 'a' + 10 : -1;
            if (digit < 0)
            {
                return null;
            }

            value = (value << 4) | digit;
        }

        return value;
    }

    private static byte[] Rewrite(byte[] body)
    {
        using var repaired = new MemoryStream(body.Length + 16);
        var copied = 0;
        var i = 0;
        while (i < body.Length)
        {
            var b = body[i];
            if (b == (byte)'\\')
            {
                var length = EscapeLength(body, i, out var lone);
                if (lone)
                {
                    repaired.Write(body, copied, i - copied);
                    repaired.Write(ReplacementEscape, 0, ReplacementEscape.Length);
                    copied = i + length;
                }

                i += length;
            }
            else if (b < 0x80)
            {
                i++;
            }
            else
            {
                var length = Utf8Sequence(body, i);
                if (length > 0)
                {
                    i += length;
                    continue;
                }

                // The maximal part of a sequence that could have begun here, as the Unicode Standard (3.9) and .NET's
                // decoder replace it: one U+FFFD for it.
                repaired.Write(body, copied, i - copied);
                repaired.Write(ReplacementUtf8, 0, ReplacementUtf8.Length);
                i += MaximalSubpart(body, i);
                copied = i;
            }
        }

        repaired.Write(body, copied, body.Length - copied);
        return repaired.ToArray();
    }

    // The length of the well-formed UTF-8 sequence of two to four bytes at i, 0 when there is none.
    private static int Utf8Sequence(byte[] body, int i)
    {
        var valid = ValidPrefix(body, i, out var needed);
        return valid == needed ? needed : 0;
    }

    // At least one byte: the lead and the continuation bytes that could still have been part of a character.
    private static int MaximalSubpart(byte[] body, int i) => Math.Max(1, ValidPrefix(body, i, out _));

    // How many bytes from i are a valid start of a UTF-8 sequence, and how many it needs (0 for a byte that begins none).
    private static int ValidPrefix(byte[] body, int i, out int needed)
    {
        var lead = body[i];
        (needed, var low, var high) = lead switch
        {
            >= 0xC2 and <= 0xDF => (2, 0x80, 0xBF),
            0xE0 => (3, 0xA0, 0xBF),
            >= 0xE1 and <= 0xEC or 0xEE or 0xEF => (3, 0x80, 0xBF),
            // ED A0..BF would be a surrogate: not UTF-8.
            0xED => (3, 0x80, 0x9F),
            0xF0 => (4, 0x90, 0xBF),
            >= 0xF1 and <= 0xF3 => (4, 0x80, 0xBF),
            0xF4 => (4, 0x80, 0x8F),
            _ => (0, 0, 0),
        };
        if (needed == 0)
        {
            return 0;
        }

        var valid = 1;
        while (valid < needed && i + valid < body.Length)
        {
            var next = body[i + valid];
            if (next < (valid == 1 ? low : 0x80) || next > (valid == 1 ? high : 0xBF))
            {
                break;
            }

            valid++;
        }

        return valid;
    }
}
