namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>
/// Every Partner Center endpoint the module calls, as the hostile tests need it: the script that calls it, the text of
/// its path, a documented item and a page of items in its envelope, and what a sparse item must come out as.
/// </summary>
public sealed class HostileEndpoint
{
    /// <summary>The name the theories use.</summary>
    public required string Name { get; init; }

    /// <summary>The pipeline a user runs; for an endpoint about one customer, <c>$args[0]</c> holds the customer ids.</summary>
    public required string Script { get; init; }

    /// <summary>Text found in the path of this endpoint's requests, and no other endpoint's.</summary>
    public required string Path { get; init; }

    /// <summary>True when a request is about one customer, whose id is in its path: one customer's failure must not stop the next.</summary>
    public bool PerCustomer { get; init; }

    /// <summary>True when the answer can link to a next page.</summary>
    public bool Paged { get; init; }

    /// <summary>A documented item of <c>customer</c>, the <c>n</c>th.</summary>
    public required Func<Guid, int, string> Item { get; init; }

    /// <summary>The answer carrying <c>items</c>, linking to a next page with the continuation <c>token</c> when it is not null.</summary>
    public required Func<HostileServer, IReadOnlyList<string>, string?, HostileResponse> Page { get; init; }

    /// <summary>An item with its name only: the property that shows it, and the properties that must be unknown.</summary>
    public required (string Json, string NameProperty, string[] Unknown) Sparse { get; init; }

    /// <summary>The same with every other documented field an explicit null.</summary>
    public required string Nulls { get; init; }

    /// <summary>
    /// An item whose numbers come as strings and with ".0", and the properties that must read 5 and 10 (no second one
    /// when the item has a single number); null when it has no numbers.
    /// </summary>
    public (string Json, string Five, string? Ten)? LooseNumbers { get; init; }

    /// <summary>The processedDateTime that cannot be read; null when the endpoint's items have no date.</summary>
    public string? BadDateText { get; init; }

    /// <summary>
    /// A documented item of <c>customer</c> with <c>text</c>, as a JSON string, in place of a typed value (a date, a
    /// count) that it cannot be; null when the endpoint's items have no typed value. By default the processedDateTime.
    /// </summary>
    public Func<Guid, string, string>? WithValue
    {
        get => _withValue ?? (BadDateText is null ? null : (id, text) => Item(id, 1).Replace(HostileEndpoints.Date, text, StringComparison.Ordinal));
        init => _withValue = value;
    }

    /// <summary>The property that <see cref="WithValue"/>'s text leaves empty; by default ProcessedDateTime.</summary>
    public string? ValueProperty
    {
        get => _valueProperty ?? (BadDateText is null ? null : "ProcessedDateTime");
        init => _valueProperty = value;
    }

    /// <summary>A text <see cref="WithValue"/>'s field cannot hold: the bad date, or one of its own.</summary>
    public string? BadValueText
    {
        get => _badValueText ?? BadDateText;
        init => _badValueText = value;
    }

    private readonly Func<Guid, string, string>? _withValue;
    private readonly string? _valueProperty;
    private readonly string? _badValueText;

    public override string ToString() => Name;

    /// <summary>The right answer to <paramref name="request"/>: two items of the customer in its path (or of a customer of its own).</summary>
    public HostileResponse Valid(HostileServer server, HostileRequest request) => Valid(server, HostileEndpoints.CustomerIn(request));

    /// <summary>The right answer about <paramref name="customer"/> (or, when null, of a listing).</summary>
    public HostileResponse Valid(HostileServer server, Guid? customer)
    {
        var id = customer ?? HostileEndpoints.Listed;
        return Page(server, [Item(id, 1), Item(id, 2)], null);
    }
}
