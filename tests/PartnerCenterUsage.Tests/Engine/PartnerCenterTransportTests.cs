using System.Net;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Engine.Throttling;
using PartnerCenterUsage.Models;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The transport's retry policy, without PowerShell: the answers of a script, in simulated time. Failures are retried
/// at most MaxRetryAttempts times per request in all, throttling between them included; refusals are waited out without
/// spending a retry; the run's budget bounds retries across requests; each attempt asks for its token once.
/// </summary>
public sealed class PartnerCenterTransportTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:9/");
    private static readonly Guid Customer = Guid.Parse("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04");
    private const string Usage = """{"totalCount": 1, "items": [{"licensesActive": 3, "licensesQualified": 5}]}""";

    private static (PartnerCenterClient Client, CountingTokens Tokens) Client(ScriptedHandler handler, int maxRetries = 5)
    {
        var clock = new TestClock();
        var tokens = new CountingTokens(clock);
        return (new PartnerCenterClient(Endpoint, tokens, new PartnerCenterClientOptions { Handler = handler, MaxRetryAttempts = maxRetries, TimeProvider = clock }), tokens);
    }

    // Answers in turn, then the last one for ever.
    private static ScriptedHandler Answers(params int[] statuses)
    {
        var next = 0;
        return new ScriptedHandler(_ =>
        {
            var status = statuses[Math.Min(Interlocked.Increment(ref next) - 1, statuses.Length - 1)];
            var response = status == 200
                ? ScriptedHandler.Json(Usage)
                : ScriptedHandler.Json("""{"code": "503", "description": "Busy."}""", (HttpStatusCode)status);
            if (status == 429)
            {
                response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            }

            return response;
        });
    }

    [Fact]
    public async Task Failure_retries_are_counted_over_the_whole_request_across_a_refusal()
    {
        var handler = Answers(503, 503, 503, 503, 503, 429, 503, 503, 503, 503, 503, 200);
        var (client, _) = Client(handler);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        // The first send, five failure retries, and the one send again after the refusal: seven, not twelve.
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(7, handler.Requests.Count);
        Assert.Equal(7, error.Attempts);
        Assert.Contains("Gave up after 7 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_waited_out_without_spending_a_retry_even_with_none_to_spend()
    {
        var handler = Answers(429, 429, 429, 200);
        var (client, _) = Client(handler, maxRetries: 0);

        var rows = await client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Single(rows);
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task With_no_retries_a_failure_is_final_at_once()
    {
        var handler = Answers(503, 200);
        var (client, _) = Client(handler, maxRetries: 0);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(1, error.Attempts);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task The_run_s_budget_bounds_retries_across_its_requests()
    {
        // A budget of two retries, earning none: two requests that always fail make four sends, not twelve.
        var handler = Answers(503);
        var (client, _) = Client(handler);
        var operation = new PartnerCenterOperation(Guid.NewGuid(), retryBudget: new RetryBudget(minimum: 2, ratio: 0));

        await Assert.ThrowsAsync<PartnerCenterApiException>(() => client.GetCustomerLicenseUsageAsync(Customer, operation, CancellationToken.None));
        await Assert.ThrowsAsync<PartnerCenterApiException>(() => client.GetCustomerLicenseUsageAsync(Customer, operation, CancellationToken.None));

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(2, operation.Throttle.RetryBudget.Spent);
    }

    [Fact]
    public async Task Each_attempt_asks_for_its_token_once()
    {
        var handler = Answers(503, 429, 200);
        var (client, tokens) = Client(handler);

        await client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(3, tokens.Asked);
    }

    [Fact]
    public async Task An_App_only_token_is_refused_before_anything_is_sent_where_a_user_is_needed()
    {
        var handler = Answers(200);
        var clock = new TestClock();
        var appOnly = TestTokens.Jwt(new Dictionary<string, object>
        {
            ["aud"] = "https://api.partnercenter.microsoft.com",
            ["tid"] = Guid.NewGuid().ToString(),
            ["appid"] = Guid.NewGuid().ToString(),
            ["idtyp"] = "app",
            ["roles"] = new[] { "Partner.Read" },
            ["exp"] = clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
        });
        using var connection = PartnerConnection.FromAccessToken(appOnly, PartnerCenterEnvironment.Global, Endpoint, new PartnerCenterClientOptions { Handler = handler, TimeProvider = clock });
        Assert.True(connection.Claims?.IsAppOnly, "the test's token should read as App-only");

        var error = await Assert.ThrowsAsync<PartnerCenterAppOnlyTokenException>(() =>
            connection.Client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Empty(handler.Requests);
        Assert.DoesNotContain("Connect-PCPartner", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A fixed token that counts how often it is asked for.</summary>
    private sealed class CountingTokens(TimeProvider clock) : IAccessTokenProvider
    {
        private readonly AccessToken _token = new("test-token", null, clock.GetUtcNow());
        private int _asked;

        public int Asked => _asked;

        public PartnerSignInKind SignInKind => PartnerSignInKind.AccessToken;

        public AccessToken Current => _token;

        public string[] Scopes => [];

        public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            return Task.FromResult(_token);
        }

        public Task<AccessToken?> RenewAsync(AccessToken rejected, CancellationToken cancellationToken) => Task.FromResult<AccessToken?>(null);

        public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
