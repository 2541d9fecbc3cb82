using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using PartnerCenterUsage.Engine.Diagnostics;
using PartnerCenterUsage.Engine.Json;
using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Engine;

/// <summary>
/// One logical operation (one cmdlet invocation): every request it makes carries the same MS-CorrelationId,
/// logs to the same place, and is paced by one <see cref="OperationThrottle"/>: one limit of requests in flight, one
/// throttling gate and one retry budget.
/// </summary>
public sealed class PartnerCenterOperation
{
    /// <summary>How long a run of a token's characters must be to be taken for a part of it (see <see cref="Redact"/>).</summary>
    internal const int FragmentLength = 8;

    // FragmentLength ASCII characters, 7 bits each, packed into the low 56 bits of a long: exact, no hash collisions.
    private const long FragmentMask = (1L << (7 * FragmentLength)) - 1;

    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    // Every run of FragmentLength characters of every token sent.
    private readonly ConcurrentDictionary<long, byte> _fragments = new();

    /// <summary>Creates an operation with a new correlation id.</summary>
    public PartnerCenterOperation(IPartnerCenterLog? log = null)
        : this(Guid.NewGuid(), log)
    {
    }

    /// <summary>Creates an operation with the given correlation id.</summary>
    /// <param name="correlationId">The MS-CorrelationId of every request.</param>
    /// <param name="log">Where diagnostics go.</param>
    /// <param name="maxConcurrency">The most requests in flight at once.</param>
    /// <param name="retryBudget">The retries the whole operation may make; a default budget when null.</param>
    public PartnerCenterOperation(Guid correlationId, IPartnerCenterLog? log = null, int maxConcurrency = 1, RetryBudget? retryBudget = null)
    {
        CorrelationId = correlationId;
        Log = log ?? NullPartnerCenterLog.Instance;
        Throttle = new OperationThrottle(maxConcurrency, retryBudget);
    }

    /// <summary>What paces the operation's requests: the requests in flight, throttling pauses, the retry budget.</summary>
    public OperationThrottle Throttle { get; }

    private int _unreadableNoted;
    private volatile bool _tokenRefused;
    private PartnerCenterApiException? _refusal;

    /// <summary>
    /// Partner Center refused the connection's token (401) and it could not be renewed: every later request of the
    /// operation would be refused too, so none is sent. <paramref name="refusal"/> is the error, once it is made.
    /// </summary>
    internal void TokenRefused(PartnerCenterApiException refusal)
    {
        // The first refusal is the one every request not sent reports; it is set before the flag is.
        System.Threading.Interlocked.CompareExchange(ref _refusal, refusal, null);
        _tokenRefused = true;
    }

    /// <summary>Throws the operation's token refusal, when there was one: the request is not sent.</summary>
    internal void ThrowIfTokenRefused()
    {
        if (_tokenRefused)
        {
            var refusal = System.Threading.Volatile.Read(ref _refusal)!;
            throw new PartnerCenterApiException(refusal.Message, refusal.StatusCode, refusal.ErrorCode, refusal.ErrorDescription)
            { RequestId = refusal.RequestId, CorrelationId = refusal.CorrelationId, HasErrorBody = refusal.HasErrorBody };
        }
    }

    /// <summary>
    /// Values an answer held that could not be read as what their field holds: they are read as unknown, and the first
    /// ones of the operation are reported once, as a warning.
    /// </summary>
    internal void NoteUnreadable(IReadOnlyList<UnreadableValue> examples)
    {
        if (examples.Count > 0 && System.Threading.Interlocked.Exchange(ref _unreadableNoted, 1) == 0)
        {
            Log.Write(PartnerCenterLogLevel.Warning,
                "Partner Center sent values that are not what their fields hold (" + string.Join(", ", examples.Select(e => e.Describe(t => Redact(t)!))) + "); they are left empty. Later ones are not reported.");
        }
    }

    /// <summary>Notes a token this operation sends, so that no text taken from an answer shows it (see <see cref="Redact"/>).</summary>
    internal void Sending(string token)
    {
        if (token.Length == 0 || _secrets.ContainsKey(token))
        {
            return;
        }

        // The token, and each long part of it: a JWT's header, claims or signature quoted alone; then every run of its
        // characters long enough to be told from chance, for a token cut short (by the service, or by an excerpt).
        foreach (var fragment in Fragments(token))
        {
            _fragments.TryAdd(fragment.Window, 0);
        }

        _secrets.TryAdd(token, 0);
        foreach (var part in token.Split('.'))
        {
            if (part.Length >= 16)
            {
                _secrets.TryAdd(part, 0);
            }
        }
    }

    /// <summary>
    /// <paramref name="text"/> from an answer (an error's description, an unreadable value) with every token this
    /// operation sent, renewed ones included, replaced: a careless service may echo the Authorization header. So is any
    /// run of <see cref="FragmentLength"/> or more characters that is also in one of them: a token the service cut, or
    /// one that an excerpt's window cut, shows none of its characters either (8 characters of base64 are 48 bits: text
    /// that is not the token holds such a run by chance one time in 10^14 per token character).
    /// </summary>
    internal string? Redact(string? text)
    {
        if (text is null)
        {
            return null;
        }

        // Runs of a token's characters first: a whole token is one such run, and becomes one [token] however it was cut
        // into parts. Then the tokens themselves, for one too short for a run; longest first, the whole before its parts.
        text = _fragments.IsEmpty ? text : WithoutFragments(text);
        foreach (var secret in _secrets.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "[token]");
        }

        return text;
    }

    // Each maximal run of text whose every FragmentLength characters are in a token sent, replaced by [token].
    private string WithoutFragments(string text)
    {
        bool[]? hidden = null;
        foreach (var (end, window) in Fragments(text))
        {
            if (_fragments.ContainsKey(window))
            {
                hidden ??= new bool[text.Length];
                for (var k = end - FragmentLength + 1; k <= end; k++)
                {
                    hidden[k] = true;
                }
            }
        }

        if (hidden is null)
        {
            return text;
        }

        var shown = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!hidden[i])
            {
                shown.Append(text[i]);
            }
            else if (i == 0 || !hidden[i - 1])
            {
                shown.Append("[token]");
            }
        }

        return shown.ToString();
    }

    // Every run of FragmentLength ASCII characters of text (tokens are ASCII), packed, with where it ends.
    private static IEnumerable<(int End, long Window)> Fragments(string text)
    {
        long window = 0;
        var ascii = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x80)
            {
                ascii = 0;
                continue;
            }

            window = ((window << 7) | c) & FragmentMask;
            if (++ascii >= FragmentLength)
            {
                yield return (i, window);
            }
        }
    }

    /// <summary>The MS-CorrelationId of every request of this operation.</summary>
    public Guid CorrelationId { get; }

    /// <summary>Where the operation's diagnostics go.</summary>
    public IPartnerCenterLog Log { get; }
}
