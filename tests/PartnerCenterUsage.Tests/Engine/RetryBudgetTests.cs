using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage.Tests.Engine;

public sealed class RetryBudgetTests
{
    [Fact]
    public void It_starts_with_its_minimum_and_each_request_earns_part_of_a_retry()
    {
        var budget = new RetryBudget(minimum: 2, ratio: 0.5);

        Assert.True(budget.TryWithdraw());
        Assert.True(budget.TryWithdraw());
        Assert.False(budget.TryWithdraw());
        budget.Deposit();
        Assert.False(budget.TryWithdraw());
        budget.Deposit();
        Assert.True(budget.TryWithdraw());
        Assert.Equal(3, budget.Spent);
    }
}
