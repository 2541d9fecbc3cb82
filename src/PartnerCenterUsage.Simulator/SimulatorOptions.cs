namespace PartnerCenterUsage.Simulator;

/// <summary>How a simulator instance behaves.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The bearer token the simulator accepts unless <see cref="AcceptedTokens"/> says otherwise.</summary>
    public const string DefaultToken = "simulator-token";

    /// <summary>The customer of the documentation's example (always present, with exactly the example's body).</summary>
    public static readonly Guid SeedCustomerId = Guid.Parse("4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04");

    /// <summary>How many generated customers there are besides the seed customer.</summary>
    public int CustomerCount { get; set; } = 25;

    /// <summary>The seed of the generated data: the same seed gives the same customers and rows.</summary>
    public int Seed { get; set; } = 20170309;

    /// <summary>
    /// How many earlier months the commercial analytics keep besides the latest processed date: with N, they also answer
    /// for <see cref="SimulatorData.ProcessedDate"/> less 1 to N months, each with data of its own derived from the current
    /// customers (see <see cref="SimulatorData.History"/>), so that a month-over-month comparison has something to compare.
    /// Partner Center does not document how far back processedDateTime answers; 0, the default, keeps the latest date only.
    /// </summary>
    public int HistoryMonths { get; set; }

    /// <summary>The bearer tokens that are accepted.</summary>
    public ISet<string> AcceptedTokens { get; } = new HashSet<string>(StringComparer.Ordinal) { DefaultToken };

    /// <summary>
    /// Bearer tokens accepted as App-only tokens (an app without a user): answered on the routes Partner Center serves
    /// to App-only callers (subscriptions, the catalog), refused on the others as Partner Center refuses them.
    /// </summary>
    public ISet<string> AppOnlyTokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The "now" the generated subscriptions' dates are relative to (terms, return windows, cancellation deadlines);
    /// null for the clock's now when the data is built, so that a test's <see cref="TimeProvider"/> and a simulator
    /// started by hand both see windows open relative to their own now.
    /// </summary>
    public DateTimeOffset? SubscriptionsAsOf { get; set; }

    /// <summary>Spoil one subscription body of some customers, each in its own way (see <see cref="SubscriptionQuirk"/>).</summary>
    public bool HostileSubscriptions { get; set; }

    /// <summary>
    /// The clock of latency, injected delays, the rate limit and Retry-After dates: the system clock, or the same
    /// controllable clock a test gives the module, so that simulated time passes for both alike.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The clock in use: <see cref="TimeProvider"/>, or the system clock.</summary>
    internal TimeProvider Clock => TimeProvider ?? System.TimeProvider.System;

    /// <summary>A delay added before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Record every request in <see cref="PartnerCenterSimulator.Requests"/> (off for long benchmark runs, which count only).</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>The largest page GET /v1/customers returns, whatever size is asked for.</summary>
    public int MaxPageSize { get; set; } = 500;

    /// <summary>How links.next of customer pages is written.</summary>
    public NextLinkStyle NextLinks { get; set; } = NextLinkStyle.Relative;

    /// <summary>A token-bucket rate limit in requests a second (null: none); over it, 429 with Retry-After.</summary>
    public double? RateLimit { get; set; }

    /// <summary>The bucket size of <see cref="RateLimit"/>.</summary>
    public int RateLimitBurst { get; set; } = 10;

    /// <summary>
    /// A throttling storm: from the first request on (or <see cref="ThrottleStormAfter"/> later), for this long (on the
    /// simulator's clock), every request of the API is answered 429 with <see cref="ThrottleStormRetryAfter"/>, as when a
    /// window of the partner's allowance is spent.
    /// </summary>
    public TimeSpan ThrottleStorm { get; set; }

    /// <summary>
    /// How long after the first request the <see cref="ThrottleStorm"/> begins: zero, at once; later, it strikes a run
    /// going at full speed (requests in flight, a listing done) instead of its first request.
    /// </summary>
    public TimeSpan ThrottleStormAfter { get; set; }

    /// <summary>The Retry-After of the storm's 429s (seconds), or null for none.</summary>
    public string? ThrottleStormRetryAfter { get; set; } = "1";

    /// <summary>Send Retry-After of rate-limit 429s as an HTTP date instead of seconds.</summary>
    public bool RetryAfterAsDate { get; set; }

    /// <summary>Faults at random, from a seed; null for none.</summary>
    public RandomFaults? RandomFaults { get; set; }

    /// <summary>
    /// An identity provider whose access tokens are accepted too: each partner tenant then sees its own customers,
    /// and tokens without MFA are refused with code 900421, as Partner Center does.
    /// </summary>
    public IdentityProviderSimulator? IdentityProvider { get; set; }

    /// <summary>
    /// Which path forms of the commercial analytics answer: the documentation's syntax tables say /v1/analytics/...,
    /// its examples /partner/v1/analytics/..., and which one the live service answers is unknown.
    /// </summary>
    public CommercialPathForm CommercialPaths { get; set; } = CommercialPathForm.Both;

    /// <summary>The largest page of the commercial analytics, whatever top asks for.</summary>
    public int CommercialMaxPageSize { get; set; } = 10000;

    /// <summary>The casing of the commercial analytics' envelope (the documentation's example: Value, @nextLink, TotalCount).</summary>
    public EnvelopeCasing CommercialEnvelopeCasing { get; set; } = EnvelopeCasing.Pascal;

    /// <summary>How @nextLink of the commercial analytics is written.</summary>
    public CommercialNextLinkStyle CommercialNextLink { get; set; } = CommercialNextLinkStyle.Relative;

    /// <summary>
    /// The JSON name of the active licenses in commercial usage rows: licensesActive, or licenseActive as the
    /// documentation's own example spells it.
    /// </summary>
    public string UsageActiveFieldName { get; set; } = "licensesActive";
}

/// <summary>Which path forms of the commercial analytics answer; the other one is a 404 with an empty body, as from a gateway that does not know it.</summary>
public enum CommercialPathForm
{
    /// <summary>/v1/analytics/commercial/... and /partner/v1/analytics/commercial/...</summary>
    Both,

    /// <summary>Only /v1/analytics/commercial/..., the documentation's syntax tables.</summary>
    DocumentedOnly,

    /// <summary>Only /partner/v1/analytics/commercial/..., the documentation's request examples.</summary>
    PartnerPrefixOnly,
}

/// <summary>The casing of the commercial analytics' envelope.</summary>
public enum EnvelopeCasing
{
    /// <summary>"Value", "@nextLink", "TotalCount", as the documentation's example.</summary>
    Pascal,

    /// <summary>"value", "@nextLink", "totalCount".</summary>
    Camel,
}

/// <summary>How @nextLink of the commercial analytics is written; it is null on the last page whatever the style.</summary>
public enum CommercialNextLinkStyle
{
    /// <summary>The request's path and query with skip moved on: /v1/analytics/commercial/usage/license?top=..&amp;skip=..</summary>
    Relative,

    /// <summary>The same as an absolute URL of the simulator.</summary>
    Absolute,

    /// <summary>Always null: a client must page with skip by itself, up to TotalCount.</summary>
    None,
}
