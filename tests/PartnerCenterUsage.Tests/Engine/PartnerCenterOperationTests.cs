using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>What an operation remembers of the tokens it sent: enough to keep every one of them out of what it shows.</summary>
public sealed class PartnerCenterOperationTests
{
    [Fact]
    public void Every_token_the_operation_sent_is_redacted_renewed_ones_too_and_each_long_part_alone()
    {
        var first = TestTokens.User(DateTimeOffset.UtcNow.AddHours(1));
        var renewed = TestTokens.User(DateTimeOffset.UtcNow.AddHours(2));
        var operation = new PartnerCenterOperation();
        operation.Sending(first);
        operation.Sending(renewed);
        var claims = first.Split('.')[1];

        var text = operation.Redact($"old {first}, new {renewed}, claims alone {claims}, opaque x");

        Assert.Equal("old [token], new [token], claims alone [token], opaque x", text);
    }

    [Fact]
    public void An_opaque_token_is_redacted_whole_and_short_words_of_it_are_left_alone()
    {
        var operation = new PartnerCenterOperation();
        operation.Sending("opaque-token-without-dots-0123456789");

        Assert.Equal("it was [token].", operation.Redact("it was opaque-token-without-dots-0123456789."));
        Assert.Equal("opaque", operation.Redact("opaque"));
    }

    [Fact]
    public void An_unreadable_value_is_shown_shortened_after_the_token_in_it_is_redacted()
    {
        var token = TestTokens.User(DateTimeOffset.UtcNow.AddHours(1));
        var shown = new UnreadableValue("count", token).Describe(t => t.Replace(token, "[token]", StringComparison.Ordinal));

        Assert.Equal("'[token]' for a count", shown);
        Assert.Equal("'" + new string('x', 40) + "…' for a date", new UnreadableValue("date", new string('x', 100)).Describe(t => t));
    }
}
