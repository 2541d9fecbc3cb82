using System.Text;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The token in text an answer sends back, wherever it was cut: by the service itself, or by the excerpt of an error
/// body, which is redacted before it is cut. No run of 8 of its characters is shown.
/// </summary>
public sealed class RedactionTests
{
    private static readonly string Token = TestTokens.User(DateTimeOffset.UtcNow.AddHours(1));

    private static PartnerCenterOperation Sent()
    {
        var operation = new PartnerCenterOperation();
        operation.Sending(Token);
        return operation;
    }

    [Theory]
    [InlineData(0, 8)]
    [InlineData(0, 70)]
    [InlineData(37, 20)]
    [InlineData(100, 200)]
    public void A_token_cut_short_is_redacted_too(int start, int length)
    {
        var text = Sent().Redact($"token '{Token.Substring(start, length)}...' refused")!;

        Assert.Equal("token '[token]...' refused", text);
    }

    [Fact]
    public void Runs_shorter_than_8_and_text_that_is_not_the_token_are_kept()
    {
        var operation = Sent();
        var seven = Token.Substring(50, 7);

        Assert.Equal($"a {seven} b", operation.Redact($"a {seven} b"));
        Assert.Equal("Customer 600d0000-0000-4000-8000-000000000002 has no Exchange licenses.", operation.Redact("Customer 600d0000-0000-4000-8000-000000000002 has no Exchange licenses."));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(170)]
    [InlineData(195)]
    public void An_excerpt_is_redacted_before_it_is_cut(int before)
    {
        var operation = Sent();
        var body = Encoding.UTF8.GetBytes(new string('x', before) + "Bearer " + Token + " was sent.");

        var excerpt = BodyText.Excerpt(body, operation.Redact);

        Assert.StartsWith(new string('x', before), excerpt, StringComparison.Ordinal);
        Assert.DoesNotContain(Token.Substring(Token.Length / 2, 8), excerpt, StringComparison.Ordinal);
        for (var i = 0; i + 8 <= Token.Length; i++)
        {
            Assert.DoesNotContain(Token.Substring(i, 8), excerpt, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_excerpt_is_at_most_200_characters_and_shows_no_control_character()
    {
        var excerpt = BodyText.Excerpt(Encoding.UTF8.GetBytes("<html>\u001b]0;title\u0007" + new string('y', 500)), t => t);

        Assert.Equal(201, excerpt.Length);
        Assert.StartsWith("<html>\u241b]0;title\u2407yyy", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
    }
}
