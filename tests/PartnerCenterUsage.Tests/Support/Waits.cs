namespace PartnerCenterUsage.Tests.Support;

/// <summary>Waiting for something to happen, not for time to pass.</summary>
public static class Waits
{
    /// <summary>
    /// Returns when <paramref name="condition"/> holds. The bound only turns a bug that never makes it true into a failure
    /// instead of a hung run; a correct run never comes near it.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }
}
