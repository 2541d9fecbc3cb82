namespace PartnerCenterUsage.Simulator;

/// <summary>
/// One earlier month the commercial analytics keep (see <see cref="SimulatorOptions.HistoryMonths"/>): what a request with
/// its <see cref="ProcessedDate"/> answers, in the same shape as <see cref="SimulatorData.UsageRows"/> and
/// <see cref="SimulatorData.DeploymentRows"/>, so that a test computes the figures of a comparison without the simulator.
/// How it differs from the current month is described by <see cref="MonthlyHistory"/>.
/// </summary>
/// <param name="MonthsBack">How many months before <see cref="SimulatorData.ProcessedDate"/> it is: 1 for the month before.</param>
/// <param name="ProcessedDate">Its processed date, <see cref="SimulatorData.ProcessedDate"/> less <paramref name="MonthsBack"/> months; every row carries it.</param>
/// <param name="Customers">
/// The customers with rows that month, current customers first (in the current order), then the customers that have left
/// since; each with that month's <see cref="SimulatedCustomer.Usage"/> and <see cref="SimulatedCustomer.Deployment"/>, and
/// no subscriptions or subscribed SKUs (those routes know the present only).
/// </param>
/// <param name="UsageRows">Every usage row of <paramref name="Customers"/>, customers in order: the rows of the commercial usage analytics that month.</param>
/// <param name="DeploymentRows">Every deployment row of <paramref name="Customers"/>, customers in order: the rows of the commercial deployment analytics that month.</param>
public sealed record SimulatedMonth(
    int MonthsBack,
    DateOnly ProcessedDate,
    IReadOnlyList<SimulatedCustomer> Customers,
    IReadOnlyList<(SimulatedCustomer Customer, SimulatedUsage Row)> UsageRows,
    IReadOnlyList<(SimulatedCustomer Customer, SimulatedDeployment Row)> DeploymentRows)
{
    /// <summary>
    /// The current customers with rows now and none that month (as in <see cref="SimulatorData.Customers"/>): those that
    /// joined since, and those whose only product now is the one bought since (<see cref="MonthlyHistory.NewProduct"/>).
    /// </summary>
    public IReadOnlyList<SimulatedCustomer> Joined { get; init; } = [];

    /// <summary>The customers that have left since: in <see cref="Customers"/>, not among the current customers nor in the customers listing.</summary>
    public IReadOnlyList<SimulatedCustomer> Left { get; init; } = [];

    /// <summary>Current customers whose inactive licenses grew clearly since: that month every workload's active licenses were its qualified ones.</summary>
    public IReadOnlyList<SimulatedCustomer> WasteGrew { get; init; } = [];

    /// <summary>Current customers whose inactive licenses shrank clearly since: that month no workload had active licenses.</summary>
    public IReadOnlyList<SimulatedCustomer> WasteShrank { get; init; } = [];
}
