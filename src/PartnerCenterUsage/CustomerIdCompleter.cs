using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage;

/// <summary>
/// Completes -CustomerId with customer ids, shown by company name: from the customers this session's connection has
/// already seen, and, when none matches, from the first page of the API's customers whose name starts with the word
/// typed, waiting two seconds at most so the prompt never hangs.
/// </summary>
public sealed class CustomerIdCompleter : IArgumentCompleter
{
    private static readonly TimeSpan ApiWait = TimeSpan.FromSeconds(2);

    /// <inheritdoc/>
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connection = SessionConnections.Current;
        if (connection is null)
        {
            return Array.Empty<CompletionResult>();
        }

        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var matches = Matching(connection.Client.SeenCustomers, word);
        if (matches.Count == 0 && !LooksLikeId(word))
        {
            Ask(connection, word);
            matches = Matching(connection.Client.SeenCustomers, word);
        }

        return matches
            .OrderBy(c => c.CompanyName, StringComparer.CurrentCultureIgnoreCase)
            .Take(200)
            .Select(c => new CompletionResult(
                c.CustomerId.ToString(),
                string.IsNullOrEmpty(c.CompanyName) ? c.CustomerId.ToString() : c.CompanyName,
                CompletionResultType.ParameterValue,
                $"{c.CompanyName} {(string.IsNullOrEmpty(c.Domain) ? string.Empty : "(" + c.Domain + ") ")}{c.CustomerId}".Trim()))
            .ToList();
    }

    private static List<PartnerCustomer> Matching(IEnumerable<PartnerCustomer> customers, string word) =>
        customers.Where(c => word.Length == 0
            || c.CustomerId.ToString().StartsWith(word, StringComparison.OrdinalIgnoreCase)
            || (c.CompanyName?.StartsWith(word, StringComparison.CurrentCultureIgnoreCase) ?? false)).ToList();

    private static bool LooksLikeId(string word) => word.Length > 0 && word.All(c => Uri.IsHexDigit(c) || c == '-');

    // Completion must never fail or hang: any error, or the wait running out, just completes nothing more.
    private static void Ask(PartnerConnection connection, string word)
    {
        using var wait = connection.CreateTimeout(ApiWait);
        try
        {
            var filter = word.Length == 0 ? null : new CustomerFilter(CustomerFilterField.CompanyName, word);
            connection.Client.ListCustomers(filter, new PartnerCenterOperation()).NextPageAsync(wait.Token).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is PartnerCenterException or OperationCanceledException)
        {
        }
    }
}
