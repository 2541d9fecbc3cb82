using System.Globalization;
using System.Text;

namespace PartnerCenterUsage.Simulator;

/// <summary>One row of the commercial analytics: its text fields, its measures, and its processed date.</summary>
internal sealed record CommercialRow(string[] Values, long[] Measures, DateTimeOffset ProcessedDateTime);

/// <summary>
/// A commercial analytics report (license usage or license deployment) of one processed date: one row per customer row
/// of the whole portfolio that month, customers in data order, which a <see cref="CommercialQuery"/> filters, groups and pages.
/// </summary>
internal sealed class CommercialReport
{
    private static readonly string[] DeploymentFields =
        ["customerTenantId", "customerName", "productId", "productName", "serviceCode", "serviceName", "channel"];

    private static readonly string[] UsageFields =
        ["customerTenantId", "customerName", "productId", "productName", "serviceCode", "serviceName", "workloadCode", "workloadName", "channel"];

    private CommercialReport(DateOnly processedDate, string[] fields, string[] measures, IReadOnlyList<CommercialRow> rows)
    {
        ProcessedDate = processedDate;
        Fields = fields;
        Measures = measures;
        Rows = rows;
    }

    /// <summary>The processed date the report answers for: a query of another date gets no rows.</summary>
    public DateOnly ProcessedDate { get; }

    /// <summary>The text fields of a row, in the order they are written; the fields filter and groupby may name.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The JSON names of the measures, summed when rows are grouped.</summary>
    public IReadOnlyList<string> Measures { get; }

    /// <summary>Every row.</summary>
    public IReadOnlyList<CommercialRow> Rows { get; }

    /// <summary>
    /// GET .../commercial/usage/license of the month <paramref name="monthsBack"/> months before the latest (0: the latest);
    /// <paramref name="activeName"/> is the JSON name of the active licenses.
    /// </summary>
    public static CommercialReport Usage(SimulatorData data, int monthsBack, string activeName) =>
        new(DateOf(monthsBack), UsageFields, [activeName, "licensesQualified"], [.. UsageRows(data, monthsBack).Select(r => new CommercialRow(
            [Id(r.Customer), r.Customer.CompanyName, r.Row.ProductId, r.Row.ProductName, r.Row.ServiceCode, r.Row.ServiceName,
             r.Row.WorkloadCode, r.Row.WorkloadName, r.Row.Channel],
            [r.Row.LicensesActive, r.Row.LicensesQualified], r.Row.ProcessedDateTime))]);

    /// <summary>GET .../commercial/deployment/license of the month <paramref name="monthsBack"/> months before the latest (0: the latest).</summary>
    public static CommercialReport Deployment(SimulatorData data, int monthsBack) =>
        new(DateOf(monthsBack), DeploymentFields, ["licensesDeployed", "licensesSold"], [.. DeploymentRows(data, monthsBack).Select(r => new CommercialRow(
            [Id(r.Customer), r.Customer.CompanyName, r.Row.ProductId, r.Row.ProductName, r.Row.ServiceCode, r.Row.ServiceName, r.Row.Channel],
            [r.Row.LicensesDeployed, r.Row.LicensesSold], r.Row.ProcessedDateTime))]);

    /// <summary>
    /// The rows the query selects, before paging, with the names of their fields: all fields, or only the group fields
    /// when grouped (groups in order of first appearance, measures summed, the latest processed date).
    /// </summary>
    public (IReadOnlyList<string> Fields, IReadOnlyList<CommercialRow> Rows) Select(CommercialQuery query)
    {
        if (query.ProcessedDate is { } date && date != ProcessedDate)
        {
            // A report is one processed date's: any other is a day without data.
            return (Fields, []);
        }

        var rows = query.Filter is { } filter ? Rows.Where(r => filter(r.Values)).ToList() : Rows;
        if (query.GroupBy is not { } groupBy)
        {
            return (Fields, rows);
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var grouped = new List<CommercialRow>();
        foreach (var row in rows)
        {
            var values = groupBy.Select(i => row.Values[i]).ToArray();
            var key = string.Join('\u001f', values);
            if (!positions.TryGetValue(key, out var at))
            {
                at = positions[key] = grouped.Count;
                grouped.Add(new CommercialRow(values, new long[row.Measures.Length], row.ProcessedDateTime));
            }

            var group = grouped[at];
            for (var m = 0; m < row.Measures.Length; m++)
            {
                group.Measures[m] += row.Measures[m];
            }

            if (row.ProcessedDateTime > group.ProcessedDateTime)
            {
                grouped[at] = group with { ProcessedDateTime = row.ProcessedDateTime };
            }
        }

        return ([.. groupBy.Select(i => Fields[i])], grouped);
    }

    private static DateOnly DateOf(int monthsBack) => SimulatorData.ProcessedDate.AddMonths(-monthsBack);

    private static IReadOnlyList<(SimulatedCustomer Customer, SimulatedUsage Row)> UsageRows(SimulatorData data, int monthsBack) =>
        monthsBack == 0 ? data.UsageRows : data.History[monthsBack - 1].UsageRows;

    private static IReadOnlyList<(SimulatedCustomer Customer, SimulatedDeployment Row)> DeploymentRows(SimulatorData data, int monthsBack) =>
        monthsBack == 0 ? data.DeploymentRows : data.History[monthsBack - 1].DeploymentRows;

    private static string Id(SimulatedCustomer customer) => customer.Id.ToString("D", CultureInfo.InvariantCulture);
}

/// <summary>The query of a commercial analytics request: top, skip, filter, groupby and processedDateTime.</summary>
internal sealed class CommercialQuery
{
    /// <summary>The default and the largest top, as documented.</summary>
    public const int MaxTop = 10000;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private CommercialQuery()
    {
    }

    /// <summary>The rows a page asks for.</summary>
    public int Top { get; private init; } = MaxTop;

    /// <summary>The rows to skip.</summary>
    public int Skip { get; private init; }

    /// <summary>The filter as received, or null.</summary>
    public string? FilterText { get; private init; }

    /// <summary>The groupby as received, or null.</summary>
    public string? GroupByText { get; private init; }

    /// <summary>The processedDateTime as received, or null.</summary>
    public string? ProcessedDateTimeText { get; private init; }

    /// <summary>Whether a row (its values, in the report's field order) matches the filter; null for no filter.</summary>
    public Func<string[], bool>? Filter { get; private init; }

    /// <summary>The indexes of the group fields in the report's field order; null when not grouped.</summary>
    public IReadOnlyList<int>? GroupBy { get; private init; }

    /// <summary>The processed date asked for; null for the latest.</summary>
    public DateOnly? ProcessedDate { get; private init; }

    /// <summary>Reads the query of a request about a report with <paramref name="fields"/>, or says what is wrong with it.</summary>
    public static bool TryParse(IQueryCollection query, IReadOnlyList<string> fields, out CommercialQuery parsed, out string error)
    {
        parsed = new CommercialQuery();
        error = string.Empty;
        var top = MaxTop;
        if (query.TryGetValue("top", out var topText) && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"Invalid top '{topText}': expected an integer from 1 to {MaxTop}.");
            return false;
        }

        var skip = 0;
        if (query.TryGetValue("skip", out var skipText) && !int.TryParse(skipText, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            error = $"Invalid skip '{skipText}': expected a non-negative integer.";
            return false;
        }

        DateOnly? date = null;
        var dateText = query.TryGetValue("processedDateTime", out var dateValues) ? dateValues.ToString() : null;
        if (dateText is not null)
        {
            if (!DateTimeOffset.TryParseExact(dateText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var processed))
            {
                error = $"Invalid processedDateTime '{dateText}': expected an ISO 8601 date or date-time.";
                return false;
            }

            // The date as written, whatever its offset.
            date = DateOnly.FromDateTime(processed.DateTime);
        }

        var filterText = query.TryGetValue("filter", out var filterValues) ? filterValues.ToString() : null;
        Func<string[], bool>? filter = null;
        if (!string.IsNullOrWhiteSpace(filterText))
        {
            try
            {
                filter = CommercialFilter.Parse(filterText, fields);
            }
            catch (FormatException e)
            {
                error = "Invalid filter: " + e.Message;
                return false;
            }
        }

        var groupByText = query.TryGetValue("groupby", out var groupByValues) ? groupByValues.ToString() : null;
        List<int>? groupBy = null;
        if (groupByText is not null)
        {
            groupBy = [];
            foreach (var name in groupByText.Split(',', StringSplitOptions.TrimEntries))
            {
                var index = IndexOf(fields, name);
                if (index < 0)
                {
                    error = name.Length == 0
                        ? $"Invalid groupby '{groupByText}': an empty field name."
                        : $"Invalid groupby: unknown field '{name}'; expected one of {string.Join(", ", fields)}.";
                    return false;
                }

                if (!groupBy.Contains(index))
                {
                    groupBy.Add(index);
                }
            }
        }

        parsed = new CommercialQuery
        {
            Top = top,
            Skip = skip,
            FilterText = filterText,
            GroupByText = groupByText,
            ProcessedDateTimeText = dateText,
            Filter = filter,
            GroupBy = groupBy,
            ProcessedDate = date,
        };
        return true;
    }

    /// <summary>The query of the page after this one: the same, but skip moved on; path and query as the request wrote them.</summary>
    public string NextPage(string path, int nextSkip)
    {
        var link = new StringBuilder(path).Append(CultureInfo.InvariantCulture, $"?top={Top}&skip={nextSkip}");
        foreach (var (name, value) in new[] { ("filter", FilterText), ("groupby", GroupByText), ("processedDateTime", ProcessedDateTimeText) })
        {
            if (value is not null)
            {
                link.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return link.ToString();
    }

    /// <summary>The index of a field named case-insensitively, or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (string.Equals(fields[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// The documented filter: <c>field eq 'value'</c> and <c>field ne 'value'</c> joined by <c>and</c> (binding tighter) and
/// <c>or</c>, with parentheses; values in single quotes, <c>''</c> for a quote. Keywords and field names are
/// case-insensitive, and so are the comparisons of values.
/// </summary>
internal static class CommercialFilter
{
    /// <summary>A predicate over a row's values (in the order of <paramref name="fields"/>); FormatException says what is wrong.</summary>
    public static Func<string[], bool> Parse(string text, IReadOnlyList<string> fields)
    {
        var parser = new Parser(Tokenize(text), fields);
        var predicate = parser.Or();
        if (parser.Peek() is { } extra)
        {
            throw new FormatException($"unexpected {extra} at position {extra.Position + 1}.");
        }

        return predicate;
    }

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString(), i++));
            }
            else if (c == '\'')
            {
                var start = i++;
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FormatException($"the value starting at position {start + 1} has no closing quote.");
                    }

                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                tokens.Add(new Token(TokenKind.Value, value.ToString(), start));
            }
            else if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
            else
            {
                throw new FormatException($"unexpected character '{c}' at position {i + 1}.");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        Value,
        Open,
        Close,
    }

    private sealed record Token(TokenKind Kind, string Text, int Position)
    {
        public bool IsWord(string word) => Kind == TokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Kind == TokenKind.Value ? "value '" + Text.Replace("'", "''", StringComparison.Ordinal) + "'" : "'" + Text + "'";
    }

    // or := and ('or' and)* ; and := primary ('and' primary)* ; primary := '(' or ')' | field ('eq' | 'ne') value
    private sealed class Parser(List<Token> tokens, IReadOnlyList<string> fields)
    {
        private int _next;

        public Token? Peek() => _next < tokens.Count ? tokens[_next] : null;

        public Func<string[], bool> Or()
        {
            var left = And();
            while (Peek()?.IsWord("or") == true)
            {
                _next++;
                var (l, r) = (left, And());
                left = values => l(values) || r(values);
            }

            return left;
        }

        private Func<string[], bool> And()
        {
            var left = Primary();
            while (Peek()?.IsWord("and") == true)
            {
                _next++;
                var (l, r) = (left, Primary());
                left = values => l(values) && r(values);
            }

            return left;
        }

        private Func<string[], bool> Primary()
        {
            var token = Take("a field name or '('");
            if (token.Kind == TokenKind.Open)
            {
                var inner = Or();
                if (Take("')'").Kind != TokenKind.Close)
                {
                    throw Expected("')'", tokens[_next - 1]);
                }

                return inner;
            }

            if (token.Kind != TokenKind.Word || token.IsWord("and") || token.IsWord("or") || token.IsWord("eq") || token.IsWord("ne"))
            {
                throw Expected("a field name or '('", token);
            }

            var index = CommercialQuery.IndexOf(fields, token.Text);
            if (index < 0)
            {
                throw new FormatException($"unknown field '{token.Text}'; expected one of {string.Join(", ", fields)}.");
            }

            var op = Take("eq or ne");
            if (!op.IsWord("eq") && !op.IsWord("ne"))
            {
                throw Expected("eq or ne", op);
            }

            var value = Take("a value in single quotes");
            if (value.Kind != TokenKind.Value)
            {
                throw Expected("a value in single quotes", value);
            }

            var equal = op.IsWord("eq");
            var expected = value.Text;
            return values => string.Equals(values[index], expected, StringComparison.OrdinalIgnoreCase) == equal;
        }

        private Token Take(string expected) =>
            _next < tokens.Count ? tokens[_next++] : throw new FormatException($"expected {expected} at the end.");

        private static FormatException Expected(string expected, Token found) =>
            new($"expected {expected} at position {found.Position + 1}, found {found}.");
    }
}
