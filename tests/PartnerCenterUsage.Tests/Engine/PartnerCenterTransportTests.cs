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

    // Always 429 with Retry-After: <seconds>, in the gateway's body.
    private static ScriptedHandler Refusing(int seconds) => new(_ =>
    {
        var response = ScriptedHandler.Json($$"""{"statusCode":429,"message":"Rate limit is exceeded. Try again in {{seconds}} seconds."}""", (HttpStatusCode)429);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        return response;
    });

    private static PartnerCenterClient Throttled(ScriptedHandler handler, TestClock clock, TimeSpan maxThrottleWait) =>
        new(Endpoint, new CountingTokens(clock), new PartnerCenterClientOptions { Handler = handler, TimeProvider = clock, MaxThrottleWait = maxThrottleWait });

    [Fact]
    public async Task A_Retry_After_longer_than_the_throttle_budget_is_final_at_once_not_sent_again_early()
    {
        // Retry-After 57 with 5 s allowed: before, the request waited 5 s, was sent again 52 s early, and its error
        // counted 3 attempts (2 sends and a note about the throttled time).
        var clock = new TestClock();
        var handler = Refusing(57);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            Throttled(handler, clock, TimeSpan.FromSeconds(5)).GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Single(handler.Requests);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.Equal(429, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(57), error.ThrottleShortfall?.Needed);
        Assert.Equal(TimeSpan.FromSeconds(5), error.ThrottleShortfall?.Left);
        Assert.Contains(
            "Partner Center asked for 57 s before the request is sent again, more than the run's throttling budget allows (5 s); it was not sent again.",
            error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_after_the_budget_is_spent_counts_only_the_requests_sent()
    {
        // Retry-After 20 with a minute allowed: three waits, and the fourth refusal is final. Four sends, four attempts
        // (the throttled time used to be a fifth "attempt").
        var clock = new TestClock();
        var handler = Refusing(20);

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            Throttled(handler, clock, TimeSpan.FromMinutes(1)).GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(4, error.Attempts);
        Assert.Equal(TimeSpan.FromMinutes(1), clock.Elapsed);
        Assert.Contains("Gave up after 4 attempts (429 Too Many Requests, 429 Too Many Requests, 429 Too Many Requests, 429 Too Many Requests).", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than the run's throttling budget has left (only 0 s of 1 min, the rest spent waiting out throttling); it was not sent again.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_waiting_for_a_slot_when_the_run_is_refused_past_its_budget_are_given_up_without_being_sent()
    {
        // Ten requests, four at a time, every one refused with Retry-After 57 and 5 s allowed. The four in flight are
        // refused together: the run's allowance is spent, and the six waiting for a slot, which the service would refuse
        // too, are not sent.
        var clock = new TestClock();
        using var handler = new RefusingTogether(4, 57);
        var client = new PartnerCenterClient(Endpoint, new CountingTokens(clock), new PartnerCenterClientOptions { Handler = handler, TimeProvider = clock, MaxThrottleWait = TimeSpan.FromSeconds(5) });
        var operation = new PartnerCenterOperation(Guid.NewGuid(), maxConcurrency: 4);

        var calls = Enumerable.Range(0, 10).Select(_ => Record.ExceptionAsync(() => client.GetCustomerLicenseUsageAsync(Customer, operation, CancellationToken.None))).ToList();
        var errors = await Task.WhenAll(calls);

        Assert.Equal(4, handler.Received);
        Assert.Equal(TimeSpan.Zero, clock.Elapsed);
        Assert.Equal(4, errors.OfType<PartnerCenterApiException>().Count(e => e.StatusCode == 429 && e.Attempts == 1));
        var notSent = errors.OfType<PartnerCenterThrottledException>().ToList();
        Assert.Equal(6, notSent.Count);
        Assert.All(notSent, e =>
        {
            Assert.Equal(0, e.Attempts);
            Assert.Null(e.RequestId);
            Assert.True(e.ThrottleShortfall.Paused);
            Assert.Matches(@"was not sent: Partner Center is throttling the whole run, which waits 5\d(\.\d)? s more before it sends any request, more than the run's throttling budget allows \(5 s\)\.", e.Message);
        });
    }

    [Fact]
    public async Task A_send_refused_with_the_token_and_sent_again_renewed_counts_as_an_attempt()
    {
        // 401, renewed, then 503 with no retries: the server saw two requests, and the error says two attempts.
        var handler = Answers(401, 503);
        var clock = new TestClock();
        var client = new PartnerCenterClient(Endpoint, new RenewingTokens(clock), new PartnerCenterClientOptions { Handler = handler, MaxRetryAttempts = 0, TimeProvider = clock });

        var error = await Assert.ThrowsAsync<PartnerCenterApiException>(() =>
            client.GetCustomerLicenseUsageAsync(Customer, new PartnerCenterOperation(), CancellationToken.None));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(2, error.Attempts);
        Assert.Contains("Gave up after 2 attempts (401 Unauthorized (sent again with a renewed token), 503 Service Unavailable).", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Holds the first <c>together</c> requests until they have all arrived, then refuses them (429, Retry-After), and
    /// every later one at once: requests in flight together, refused together, as when a partner's allowance is spent.
    /// </summary>
    private sealed class RefusingTogether(int together, int seconds) : HttpMessageHandler
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _received;

        public int Received => Volatile.Read(ref _received);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _received) >= together)
            {
                _all.TrySetResult();
            }

            // Only a guard against a hung test: the requests in flight arrive within milliseconds.
            await _all.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var response = ScriptedHandler.Json($$"""{"statusCode":429,"message":"Rate limit is exceeded. Try again in {{seconds}} seconds."}""", (HttpStatusCode)429);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            return response;
        }
    }

    /// <summary>A token renewed each time it is refused.</summary>
    private sealed class RenewingTokens(TimeProvider clock) : IAccessTokenProvider
    {
        private AccessToken _token = new("test-token-0", clock.GetUtcNow().AddHours(1), clock.GetUtcNow());
        private int _renewals;

        public PartnerSignInKind SignInKind => PartnerSignInKind.AccessToken;

        public AccessToken Current => _token;

        public string[] Scopes => [];

        public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(_token);

        public Task<AccessToken?> RenewAsync(AccessToken rejected, CancellationToken cancellationToken)
        {
            _token = new AccessToken("test-token-" + Interlocked.Increment(ref _renewals), clock.GetUtcNow().AddHours(1), clock.GetUtcNow());
            return Task.FromResult<AccessToken?>(_token);
        }

        public Task SignOutAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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
