namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>Scripts made of answers, for <see cref="HostileServer.Answer(Func{HostileRequest, HostileResponse})"/> and
/// <see cref="HostileServer.On(string, Func{HostileRequest, HostileResponse})"/> alike.</summary>
public static class HostileScripts
{
    /// <summary>
    /// A throttling storm: <see cref="HostileResponse.Throttle"/> to every request received before
    /// <paramref name="until"/> (by the server's clock, <see cref="HostileRequest.ReceivedAt"/>), then
    /// <paramref name="afterwards"/> from that moment on.
    /// </summary>
    public static Func<HostileRequest, HostileResponse> StormUntil(
        DateTimeOffset until, string? retryAfter, Func<HostileRequest, HostileResponse> afterwards)
    {
        var throttle = HostileResponse.Throttle(retryAfter);
        return request => request.ReceivedAt < until ? throttle : afterwards(request);
    }

    /// <summary>The answers in turn, one per request (concurrent requests each take their own); the last one again
    /// once all were given.</summary>
    public static Func<HostileRequest, HostileResponse> Sequence(params HostileResponse[] responses)
    {
        ArgumentOutOfRangeException.ThrowIfZero(responses.Length);
        var copy = responses.ToArray();
        var next = -1;
        return _ => copy[Math.Min(Interlocked.Increment(ref next), copy.Length - 1)];
    }
}
