using System.Text;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// An answer's text read as Unicode text before it is parsed: a broken character (bytes that are not UTF-8, an escaped
/// half of a character) costs that character, as U+FFFD, wherever it is, and a whole body is not copied.
/// </summary>
public sealed class UnicodeRepairTests
{
    [Fact]
    public void A_whole_body_is_returned_as_it_is()
    {
        var body = Encoding.UTF8.GetBytes("""{"name":"Zoë \ud83d\ude00 \\ud800 \u00e9 \\\\"}""");

        Assert.Same(body, UnicodeRepair.Repaired(body));
    }

    [Theory]
    [InlineData(@"""\ud800""", @"""\uFFFD""")]
    [InlineData(@"""\uDC00x""", @"""\uFFFDx""")]
    [InlineData(@"""a\ud800\u0041""", @"""a\uFFFD\u0041""")]
    [InlineData(@"""\ud800\ud800\udc00""", @"""\uFFFD\ud800\udc00""")]
    [InlineData(@"""\udc00\ud800""", @"""\uFFFD\uFFFD""")]
    [InlineData(@"""\\ud800""", @"""\\ud800""")]
    [InlineData(@"""\\\ud800""", @"""\\\uFFFD""")]
    [InlineData(@"{""\ud800"":1}", @"{""\uFFFD"":1}")]
    public void An_escaped_lone_surrogate_is_the_replacement_character(string sent, string read) =>
        Assert.Equal(read, Encoding.UTF8.GetString(UnicodeRepair.Repaired(Encoding.UTF8.GetBytes(sent))));

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 }, "a\ufffdb")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\ufffd\ufffd\ufffd")]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, "a\ufffd")]
    [InlineData(new byte[] { 0xC0, 0x80 }, "\ufffd\ufffd")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "\ufffd\ufffd\ufffd\ufffd")]
    [InlineData(new byte[] { 0xE2, 0x82, 0x61, 0xE2, 0x82, 0xAC }, "\ufffda\u20ac")]
    public void Bytes_that_are_not_UTF_8_are_the_replacement_character(byte[] sent, string read) =>
        Assert.Equal(read, Encoding.UTF8.GetString(UnicodeRepair.Repaired(sent)));

    [Fact]
    public void What_is_not_UTF_8_reads_as_NET_s_own_decoder_reads_it()
    {
        var random = new Random(2026);
        for (var round = 0; round < 2000; round++)
        {
            var body = new byte[random.Next(1, 40)];
            random.NextBytes(body);
            for (var i = 0; i < body.Length; i++)
            {
                // No backslash: only the UTF-8 is in question here.
                body[i] = body[i] == (byte)'\\' ? (byte)'/' : body[i];
            }

            var repaired = UnicodeRepair.Repaired(body);

            Assert.Equal(Encoding.UTF8.GetString(body), Encoding.UTF8.GetString(repaired));
            Assert.True(IsStrictUtf8(repaired), Convert.ToHexString(body));
        }
    }

    [Fact]
    public void A_broken_character_in_a_field_s_name_costs_that_field_only()
    {
        var page = PartnerCenterJson.ReadPage<LicenseUsageJson, CustomerLicenseUsage>(
            Encoding.UTF8.GetBytes("""{"totalCount":1,"items":[{"product\ud800Name":"lost","productName":"E3","licensesActive":5}]}"""),
            EnvelopeShape.Classic,
            "the test",
            r => r.ToModel(null));

        var row = Assert.Single(page.Items);
        Assert.Equal("E3", row.ProductName);
        Assert.Equal(5, row.LicensesActive);
    }

    [Fact]
    public void An_error_body_with_a_broken_character_keeps_its_code_and_description()
    {
        var (code, description) = PartnerCenterJson.ReadError(Encoding.UTF8.GetBytes("""{"code":"600","description":"Bad \ud800 thing"}"""));

        Assert.Equal("600", code);
        Assert.Equal("Bad \ufffd thing", description);
    }

    private static bool IsStrictUtf8(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
