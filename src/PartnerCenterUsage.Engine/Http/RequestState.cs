using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// What one request carries from attempt to attempt, and the retry policy's decisions about it: whether a refusal (429)
/// is waited out and for how long, and whether a failure is retried. Every input of those decisions is the module's own
/// (the operation's throttle, the request's own time, its counts), so the policy is plain code over this state, with no
/// side effect but the counts it keeps.
/// </summary>
internal sealed class RequestState(PartnerCenterRequest request, PartnerCenterOperation operation)
{
    private static readonly TimeSpan FirstThrottleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongWait = TimeSpan.FromSeconds(30);

    [ThreadStatic]
    private static Random? t_jitter;

    public PartnerCenterRequest Request { get; } = request;

    public HttpMethod Method => Request.Method;

    public string Path => Request.Uri.AbsolutePath;

    public PartnerCenterOperation Operation { get; } = operation;

    /// <summary>
    /// The request's own time so far: its attempts and the backoff between them. What it waited for others (a slot, a
    /// pause of the operation, throttling) is not in it, nor is it counted against
    /// <see cref="PartnerCenterClientOptions.MaxRequestDuration"/>.
    /// </summary>
    public TimeSpan Own { get; set; }

    /// <summary>How long the latest attempt may take: the per-attempt timeout, or what is left of the request's time.</summary>
    public TimeSpan AttemptTimeout { get; set; }

    /// <summary>True once the request gave up because its own time was spent.</summary>
    public bool OutOfTime { get; private set; }

    /// <summary>The MS-RequestId of the next send: kept after no answer (the server may have the request), new after an answer.</summary>
    public Guid RequestId { get; set; } = Guid.NewGuid();

    /// <summary>The MS-RequestId of the last send, for messages.</summary>
    public Guid SentRequestId { get; set; }

    /// <summary>
    /// Each request sent, described, for the error that gives up: one entry per send and nothing else, so that its count
    /// is the number of times the server was sent the request.
    /// </summary>
    public List<string> History { get; } = new();

    /// <summary>
    /// Set when throttling gave the request up: the wait it needed before it could be sent (again) was more than the
    /// operation's throttled time had left. It was not sent again.
    /// </summary>
    public ThrottleShortfall? Shortfall { get; private set; }

    /// <summary>With <see cref="Shortfall"/>: true when the wait was the Retry-After the service asked for, false when it sent none the policy believes.</summary>
    public bool ShortfallAsked { get; private set; }

    /// <summary>
    /// Failures retried so far (408, 5xx, no answer): counted over the whole request, whatever throttling came between
    /// them, so a request never makes more than <see cref="PartnerCenterClientOptions.MaxRetryAttempts"/> of them.
    /// </summary>
    public int FailureRetries { get; private set; }

    /// <summary>How many times in a row this request was refused (429).</summary>
    public int Refusals { get; private set; }

    /// <summary>When the request may be sent again after its last refusal.</summary>
    public DateTimeOffset WaitUntil { get; private set; }

    private static Random Jitter => t_jitter ??= new Random();

    /// <summary>What is left of the request's own time: its duration limit, less <see cref="Own"/>.</summary>
    public TimeSpan Remaining(PartnerCenterClientOptions options) => options.MaxRequestDuration - Own;

    /// <summary>True while some of the request's own time is left; otherwise notes that it ran out.</summary>
    public bool HasTimeLeft(PartnerCenterClientOptions options)
    {
        OutOfTime = Remaining(options) <= TimeSpan.Zero;
        return !OutOfTime;
    }

    /// <summary>
    /// A failure came: true to retry it after <paramref name="delay"/>, when the request has retries and time left and the
    /// operation's budget has a retry to give. The backoff is the request's own time.
    /// </summary>
    public bool TryRetryFailure(PartnerCenterClientOptions options, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (FailureRetries >= options.MaxRetryAttempts || !HasTimeLeft(options) || !Operation.Throttle.RetryBudget.TryWithdraw())
        {
            return false;
        }

        FailureRetries++;
        delay = FailureBackoff(FailureRetries, options.RetryBaseDelay, options.MaxRetryDelay);
        Own += delay;
        return true;
    }

    /// <summary>
    /// A 429 came: true to wait and send again, when what is left of the operation's throttled time covers the whole wait;
    /// the wait is the Retry-After when it is believable, otherwise a second doubling with each refusal, up to the longest
    /// wait. False when it does not cover it: the request is not sent again before the time the service asked for, and
    /// <see cref="Shortfall"/> says why.
    /// </summary>
    public bool Throttled(TimeSpan? retryAfter, PartnerCenterClientOptions options)
    {
        Refusals++;
        var asked = retryAfter is { } value && value > TimeSpan.Zero && value <= options.MaxRetryAfter;
        var wait = asked ? retryAfter!.Value : ThrottleBackoff(Refusals, options.MaxRetryAfter);
        var now = options.TimeProvider.GetUtcNow();
        var throttle = Operation.Throttle;
        if (!throttle.Gate.TryWait(now, wait, throttle.Limit, options.MaxThrottleWait, out var until, out var pauseStarted, out var shortfall))
        {
            GaveUp(shortfall!, asked);
            return false;
        }

        WaitUntil = until;
        var seconds = Math.Ceiling((until - now).TotalSeconds);
        if (pauseStarted)
        {
            Operation.Log.Write(PartnerCenterLogLevel.Waiting, string.Format(
                CultureInfo.InvariantCulture, "Waiting {0:0} s for Partner Center's throttling: every request of this run pauses until then", seconds));
        }

        if (seconds >= LongWait.TotalSeconds && throttle.Gate.ShouldSayLongWait(now, until))
        {
            Operation.Log.Write(PartnerCenterLogLevel.Warning, string.Format(
                CultureInfo.InvariantCulture, "Partner Center is throttling: waiting {0:0} s before {1} {2} is sent again.", seconds, Method.Method, Path));
        }

        return true;
    }

    /// <summary>
    /// Throttling gives the request up, for <paramref name="shortfall"/>: it is not sent (again). <paramref name="asked"/>:
    /// the wait was the Retry-After the service asked for (or the operation's pause), not the policy's own backoff.
    /// </summary>
    public void GaveUp(ThrottleShortfall shortfall, bool asked = true)
    {
        Shortfall = shortfall;
        ShortfallAsked = asked;
    }

    /// <summary>
    /// The wait before the next send after a refusal: until the request's own wait ends, the operation's pause at the time
    /// of the refusal included. A pause made longer since is waited for when the request enters the operation's throttle,
    /// which charges it to the throttled time or gives the request up.
    /// </summary>
    public TimeSpan ThrottleWait(TimeProvider clock)
    {
        var wait = WaitUntil - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>An answer other than 429: the next refusal starts from the shortest wait again.</summary>
    public void Answered() => Refusals = 0;

    // 1, 2, 4... seconds, up to the longest wait, with up to a fifth more at random so that refused requests spread.
    private static TimeSpan ThrottleBackoff(int refusals, TimeSpan longest)
    {
        var seconds = FirstThrottleWait.TotalSeconds * Math.Pow(2, Math.Min(refusals - 1, 20));
        var jittered = seconds * (1 + (0.2 * Jitter.NextDouble()));
        return TimeSpan.FromSeconds(Math.Min(jittered, longest.TotalSeconds));
    }

    // The first delay doubling with each retry, up to the longest, each within a fifth either side at random, so that
    // requests that failed together do not come back together.
    private static TimeSpan FailureBackoff(int retry, TimeSpan first, TimeSpan longest)
    {
        var seconds = Math.Min(first.TotalSeconds * Math.Pow(2, Math.Min(retry - 1, 20)), longest.TotalSeconds);
        var jittered = seconds * (0.8 + (0.4 * Jitter.NextDouble()));
        return TimeSpan.FromSeconds(Math.Min(jittered, longest.TotalSeconds));
    }
}
