using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Json;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// Reads a paged listing one page at a time, as the caller asks for it, so a long listing streams in constant memory.
/// The one pager of every paged endpoint: it follows the next link a page carries (links.next with its continuation
/// token, or @nextLink), resolved against the request it came with; when a commercial page has no next link but the
/// service's total says more rows exist, it asks for them with <c>skip</c>. A listing that points back to a page
/// already read, repeats a page, sends only rows already read, sends more rows than its total, or ends short of its
/// total stops with an error instead of looping or passing a short list for a whole one. An item that repeats one of the
/// same page or of the page before, byte for byte (<see cref="Json.ItemPrints"/>), is given once: the copies are left
/// out and counted (<see cref="CopiesLeftOut"/>), and the first are reported as a warning. Only those two pages' prints
/// are kept, so memory does not grow with the listing; a copy of an item of an earlier page still passes.
/// </summary>
/// <typeparam name="T">The rows of the listing.</typeparam>
public sealed class PartnerCenterPager<T> : IPartnerCenterPager
    where T : class
{
    private readonly PartnerCenterTransport _transport;
    private readonly PartnerCenterOperation _operation;
    private readonly Listing _listing;
    private readonly HashSet<string> _links = new(StringComparer.Ordinal);
    private readonly HashSet<ulong> _bodies = new();
    private Uri? _next;
    private string? _continuation;
    private Uri? _first;
    private bool _started;
    private bool _looped;
    private PartnerCenterException? _unusableLink;
    private int _emptyInARow;
    private long _received;
    private int _pages;
    private bool _copiesNoted;

    // The prints of the items of the page before and of this page, to tell a copy from a row; swapped after each page
    // with rows.
    private HashSet<ulong> _previousPrints = new();
    private HashSet<ulong> _currentPrints = new();

    /// <summary>Empty pages with a next link tolerated in a row (a service may have a page's rows filtered away).</summary>
    private const int MaxEmptyPagesInARow = 5;

    internal PartnerCenterPager(PartnerCenterTransport transport, PartnerCenterOperation operation, Listing listing)
    {
        _transport = transport;
        _operation = operation;
        _listing = listing;
    }

    /// <summary>The rows read so far, copies left out.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Rows left out as copies of a row of the same page or of the page before.</summary>
    public long CopiesLeftOut { get; private set; }

    /// <summary>The rows of the whole listing, when the service says (the commercial analytics do).</summary>
    public long? TotalCount { get; private set; }

    /// <summary>The next page; null after the last one.</summary>
    /// <exception cref="PartnerCenterException">A page request failed, its answer is unusable, or the paging is broken.</exception>
    public async Task<IReadOnlyList<T>?> NextPageAsync(CancellationToken cancellationToken)
    {
        if (_unusableLink is not null)
        {
            throw _unusableLink;
        }

        if (_looped)
        {
            throw new PartnerCenterInvalidResponseException(
                $"The pages of {_listing.What} point back to a page already read; the listing is stopped to avoid a loop.");
        }

        PartnerCenterResponse response;
        Uri requested;
        if (!_started)
        {
            _started = true;
            (response, requested) = await _listing.First(_operation, cancellationToken).ConfigureAwait(false);
            _first = requested;
        }
        else if (_next is not null)
        {
            requested = _next;
            var request = new PartnerCenterRequest(HttpMethod.Get, requested)
            {
                RequiresUser = _listing.RequiresUser,
                Customer = _listing.Customer,
                ContinuationToken = _continuation,
            };
            response = await _transport.SendAsync(request, _operation, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            return null;
        }

        // The body's print is taken while its bytes are still counted against the answers' budget.
        var bodyPrint = 0UL;
        var page = response.Read(body =>
        {
            bodyPrint = ItemPrints.Of(body);
            return _listing.Read(body);
        });
        _operation.NoteUnreadable(page.Unreadable);
        if (page.Items.Count > 0 && !_bodies.Add(bodyPrint))
        {
            throw response.Invalid($"Partner Center sent the same page of {_listing.What} twice; the listing is stopped to avoid a loop.");
        }

        _pages++;
        _received += page.Items.Count;
        var rows = LeaveOutCopies(page, response);
        if (_listing.Shape == EnvelopeShape.Commercial && page.TotalCount is { } total)
        {
            TotalCount = total;
        }

        // A service that does not page as it says (links that never end) would be followed without end: the total it
        // reports is what the listing may hold. Its distinct rows are counted: copies left out are no rows of it.
        if (_listing.Shape == EnvelopeShape.Commercial && TotalCount is { } reported && RowsRead + rows.Count > reported)
        {
            throw response.Invalid(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Partner Center sent {0} rows of {1}, more than the {2} it reported; the listing is stopped after the {3} rows before this page.",
                RowsRead + rows.Count, _listing.What, reported, RowsRead));
        }

        RowsRead += rows.Count;

        // Empty pages that each point to another would be followed for ever.
        _emptyInARow = page.Items.Count == 0 ? _emptyInARow + 1 : 0;
        if (_emptyInARow > MaxEmptyPagesInARow && page.NextLink is { Length: > 0 })
        {
            throw response.Invalid(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Partner Center sent {0} empty pages of {1} in a row, each pointing to another; the listing is stopped.", _emptyInARow, _listing.What));
        }

        if (page.NextLink is { Length: > 0 } link)
        {
            // A link that cannot be followed, or one back to a page already read, fails the next call: the rows of this
            // page are real.
            try
            {
                _next = response.Resolve(() => PartnerCenterRoutes.ResolveNextLink(_transport.BaseAddress, requested, link));
                _continuation = page.ContinuationToken;
                _looped = !_links.Add(_next + "|" + _continuation);
            }
            catch (PartnerCenterException unusable)
            {
                _unusableLink = unusable;
            }
        }
        else if (_listing.Shape == EnvelopeShape.Commercial
            && (TotalCount > _received || (TotalCount is null && page.Items.Count >= PartnerCenterRoutes.CommercialPageSize)))
        {
            // The commercial pages document paging by skip too: no link, but the total says there is more, or (with no
            // total) the page is as full as asked for. Without a total, an empty page is simply the end.
            if (page.Items.Count == 0)
            {
                throw response.Invalid(string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "Partner Center reported {0} rows of {1} but sent an empty page after {2}; the listing is incomplete.",
                    TotalCount, _listing.What, _received));
            }

            // Skip counts the rows as the service sent them, copies included: it is a position in its listing.
            _next = PartnerCenterRoutes.WithSkip(_first!, _received);
            _continuation = null;
            _looped = !_links.Add(_next.ToString());
        }
        else
        {
            _next = null;
        }

        return rows;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<object>?> NextRowsAsync(CancellationToken cancellationToken) =>
        await NextPageAsync(cancellationToken).ConfigureAwait(false);

    // The page's rows without the items that repeat an item of this page or of the page before, byte for byte. A page
    // with rows and nothing new is a service sending what it sent already instead of the next rows: the listing stops
    // rather than follow it.
    private IReadOnlyList<T> LeaveOutCopies(Page<T> page, PartnerCenterResponse response)
    {
        var items = page.Items;
        if (items.Count == 0 || page.Prints is not { } prints || prints.Count != items.Count)
        {
            return items;
        }

        _currentPrints.Clear();
        List<T>? fresh = null;
        for (var i = 0; i < items.Count; i++)
        {
            if (!_previousPrints.Contains(prints[i]) && _currentPrints.Add(prints[i]))
            {
                fresh?.Add(items[i]);
                continue;
            }

            // The first copy: the rows before it are kept, and from here on only the new ones.
            fresh ??= new List<T>(items.Take(i));
        }

        (_previousPrints, _currentPrints) = (_currentPrints, _previousPrints);
        if (fresh is null)
        {
            return items;
        }

        var copies = items.Count - fresh.Count;
        CopiesLeftOut += copies;
        if (fresh.Count == 0)
        {
            throw response.Invalid(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Partner Center sent page {0} of {1} with only rows it had sent already ({2}); it is not paging, and the listing is stopped.",
                _pages, _listing.What, copies));
        }

        if (!_copiesNoted)
        {
            _copiesNoted = true;
            _operation.Log.Write(Diagnostics.PartnerCenterLogLevel.Warning, string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Partner Center sent {0} of the {1} rows of page {2} of {3} again (the same item, byte for byte, as one already read); each is given once. Later copies are left out too, without another warning.",
                copies, items.Count, _pages, _listing.What));
        }

        return fresh;
    }

    /// <summary>
    /// What the pager needs to know of a listing: what its requests need and are about, how to ask for its first page
    /// (the endpoint's business: a route, a path form to try) and how to read a page.
    /// </summary>
    internal sealed class Listing(
        string what,
        EnvelopeShape shape,
        bool requiresUser,
        Guid? customer,
        Func<PartnerCenterOperation, CancellationToken, Task<(PartnerCenterResponse Response, Uri Requested)>> first,
        Func<byte[], Page<T>> read)
    {
        /// <summary>What the listing is, for messages: "the customer list".</summary>
        public string What { get; } = what;

        public EnvelopeShape Shape { get; } = shape;

        public bool RequiresUser { get; } = requiresUser;

        /// <summary>The customer every page is about, when the listing is one customer's: a 404 then means that customer is unknown.</summary>
        public Guid? Customer { get; } = customer;

        public Func<PartnerCenterOperation, CancellationToken, Task<(PartnerCenterResponse Response, Uri Requested)>> First { get; } = first;

        public Func<byte[], Page<T>> Read { get; } = read;
    }
}
