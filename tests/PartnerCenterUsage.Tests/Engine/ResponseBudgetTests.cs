using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage.Tests.Engine;

/// <summary>
/// The connection's budget of answer bytes held at once: an answer that does not fit waits for others to give theirs
/// back, in its turn and cancellably; the oldest answer holding bytes never waits, and an answer larger than the whole
/// budget is read alone, so that no set of answers can wait on each other for ever.
/// </summary>
public sealed class ResponseBudgetTests
{
    [Fact]
    public async Task An_answer_that_does_not_fit_waits_until_another_is_given_back()
    {
        var budget = new ResponseBudget(100);
        using var first = budget.Open();
        using var second = budget.Open();
        await first.TakeAsync(80, CancellationToken.None);

        var waiting = second.TakeAsync(50, CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, budget.Waiting);
        Assert.Equal(80, budget.Held);

        first.Dispose();
        await waiting;
        Assert.Equal(50, budget.Held);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task Answers_that_fit_together_are_not_made_to_wait()
    {
        var budget = new ResponseBudget(100);
        using var first = budget.Open();
        using var second = budget.Open();

        await first.TakeAsync(60, CancellationToken.None);
        var together = second.TakeAsync(40, CancellationToken.None);

        Assert.True(together.IsCompleted);
        Assert.Equal(100, budget.Held);
    }

    [Fact]
    public async Task A_waiting_answer_cancelled_holds_nothing_and_lets_the_next_in_turn_go()
    {
        var budget = new ResponseBudget(100);
        using var first = budget.Open();
        using var large = budget.Open();
        using var small = budget.Open();
        await first.TakeAsync(80, CancellationToken.None);
        using var stop = new CancellationTokenSource();

        var largeWaits = large.TakeAsync(50, stop.Token);
        var smallWaits = small.TakeAsync(10, CancellationToken.None);

        // The small one would fit, but it came after the large one: a stream of small answers must not starve a large one.
        Assert.False(smallWaits.IsCompleted);
        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => largeWaits);
        await smallWaits;
        Assert.Equal(0, large.Bytes);
        Assert.Equal(90, budget.Held);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task An_answer_larger_than_the_whole_budget_is_read_alone()
    {
        var budget = new ResponseBudget(100);
        using var huge = budget.Open();
        using var next = budget.Open();

        var alone = huge.TakeAsync(500, CancellationToken.None);
        Assert.True(alone.IsCompleted);
        await alone;

        var after = next.TakeAsync(1, CancellationToken.None);
        Assert.False(after.IsCompleted);

        huge.Dispose();
        await after;
        Assert.Equal(1, budget.Held);
    }

    [Fact]
    public async Task The_oldest_answer_never_waits_so_answers_growing_together_cannot_wait_on_each_other()
    {
        // Two answers of unknown length, read chunk by chunk, fill the budget between them: each needs more.
        var budget = new ResponseBudget(100);
        using var older = budget.Open();
        using var younger = budget.Open();
        await older.TakeAsync(60, CancellationToken.None);
        await younger.TakeAsync(40, CancellationToken.None);

        var youngerWaits = younger.TakeAsync(10, CancellationToken.None);
        var olderGoesOn = older.TakeAsync(10, CancellationToken.None);

        Assert.False(youngerWaits.IsCompleted);
        Assert.True(olderGoesOn.IsCompleted);
        Assert.Equal(110, budget.Held);

        older.Dispose();
        await youngerWaits;
        Assert.Equal(50, budget.Held);
    }

    [Fact]
    public async Task An_answer_that_becomes_the_oldest_while_it_waits_goes_on_at_once()
    {
        var budget = new ResponseBudget(100);
        using var oldest = budget.Open();
        using var middle = budget.Open();
        using var youngest = budget.Open();
        await oldest.TakeAsync(40, CancellationToken.None);
        await middle.TakeAsync(30, CancellationToken.None);
        await youngest.TakeAsync(30, CancellationToken.None);
        var youngestWaits = youngest.TakeAsync(20, CancellationToken.None);
        var middleWaits = middle.TakeAsync(60, CancellationToken.None);

        // 40 given back: the middle one is now the oldest holder and goes past the budget, though it asked after the youngest.
        oldest.Dispose();

        await middleWaits;
        Assert.False(youngestWaits.IsCompleted);
        Assert.Equal(120, budget.Held);
        middle.Dispose();
        await youngestWaits;
        Assert.Equal(50, budget.Held);
    }

    [Fact]
    public async Task Giving_back_part_lets_a_waiting_answer_in()
    {
        var budget = new ResponseBudget(100);
        using var first = budget.Open();
        using var second = budget.Open();
        await first.TakeAsync(100, CancellationToken.None);
        var waiting = second.TakeAsync(30, CancellationToken.None);

        first.Give(20);
        Assert.False(waiting.IsCompleted);
        first.Give(10);

        await waiting;
        Assert.Equal(70, first.Bytes);
        Assert.Equal(100, budget.Held);
    }
}
