using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using MgAuth.Domain.Decisions;
using MgAuth.Domain.Requests;

namespace MgAuth.Cases.Review;

/// <summary>A notice as a page a person can read and print. Everything that comes from data is HTML-encoded.</summary>
public static class NoticeHtml
{
    private const string Style = """
        body { font: 16px/1.5 system-ui, sans-serif; color: #1b1f24; margin: 0; background: #fff; }
        main { max-width: 46rem; margin: 2rem auto; padding: 0 1.25rem; }
        h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
        h2 { font-size: 1.15rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
        .outcome-denied { color: #a40e26; } .outcome-approved, .outcome-approved_modified { color: #116329; }
        .summary { font-size: 1.05rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dt { font-weight: 600; } dd { margin: 0; }
        ol { padding-left: 1.25rem; } li { margin-bottom: .75rem; }
        .criterion, .evidence { margin: .15rem 0; color: #424a53; font-size: .95rem; }
        .note { background: #f6f8fa; border-left: 4px solid #8c959f; padding: .5rem .75rem; }
        """;

    public static string Render(Notice n)
    {
        var h = new StringBuilder();
        h.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Prior authorization notice ").Append(E(n.AuthorizationId)).Append("</title>\n<style>").Append(Style).Append("</style>\n")
            .Append("</head>\n<body>\n<main>\n");
        h.Append("<h1>Prior authorization: <span class=\"outcome-").Append(E(n.Outcome)).Append("\">").Append(E(n.Headline)).Append("</span></h1>\n");
        h.Append("<p class=\"summary\">").Append(E(n.Summary)).Append("</p>\n");
        h.Append("<dl>\n");
        Row(h, "Authorization", n.AuthorizationId);
        if (n.AppealOf is not null) Row(h, "Appeal of", n.AppealOf);
        Row(h, "Member", n.MemberId);
        if (n.ProviderNpi is not null) Row(h, "Provider NPI", n.ProviderNpi);
        Row(h, "Service", n.Service);
        Row(h, "Decided on", n.DecidedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        Row(h, "Policy", $"{n.PolicyId}, version {n.PolicyVersion}");
        Row(h, "X12 review action", n.X12ReviewAction);
        h.Append("</dl>\n");

        h.Append("<h2>").Append(n.Outcome == ContractNames.Of(CaseStatus.Denied) ? "Why the request is denied" : "What the decision rests on").Append("</h2>\n<ol>\n");
        foreach (var r in n.Reasons)
        {
            h.Append("<li><p>").Append(E(r.Statement)).Append("</p>");
            if (r.Criterion.Length > 0)
                h.Append("<p class=\"criterion\">Policy criterion: ").Append(E(r.Criterion)).Append(" (").Append(E(r.Code)).Append(")</p>");
            if (r.Evidence.Length > 0) h.Append("<p class=\"evidence\">Evidence: ").Append(E(r.Evidence)).Append("</p>");
            h.Append("</li>\n");
        }
        h.Append("</ol>\n");
        if (n.ApprovableAlternative is not null) h.Append("<p class=\"note\">").Append(E(n.ApprovableAlternative)).Append("</p>\n");

        h.Append("<h2>What was requested</h2>\n<dl>\n");
        if (n.Requested.Product is not null) Row(h, "Product", n.Requested.Product);
        Row(h, "Per course", $"{G(n.Requested.CourseGrams)} g ({G(n.Requested.GramsPerKgPerCourse)} g/kg of dosing weight)");
        Row(h, "Courses", n.Requested.Cycles.ToString(CultureInfo.InvariantCulture));
        Row(h, "Period", $"{n.Requested.PeriodStart:yyyy-MM-dd} to {n.Requested.PeriodEnd:yyyy-MM-dd}");
        h.Append("</dl>\n");

        h.Append("<h2>What is authorized</h2>\n");
        if (n.Authorized is { } a)
        {
            h.Append("<dl>\n");
            if (a.Product is not null) Row(h, "Product", a.Product);
            Row(h, "Per course", $"{G(a.CourseGrams)} g");
            Row(h, "Courses", $"{a.Cycles} ({G(a.TotalGrams)} g in all)");
            Row(h, "Valid", $"{a.ValidFrom:yyyy-MM-dd} through {a.ValidThrough:yyyy-MM-dd} ({a.Days} days)");
            h.Append("</dl>\n");
        }
        else h.Append("<p>Nothing is authorized.</p>\n");

        h.Append("<h2>Who decided</h2>\n<p>").Append(E(n.DecidedBy.Statement)).Append("</p>\n");
        if (n.DecidedBy.Rationale is not null)
            h.Append("<p>The reviewer's explanation:</p>\n<blockquote class=\"note\">").Append(E(n.DecidedBy.Rationale)).Append("</blockquote>\n");

        if (n.Appeal is { } appeal)
        {
            h.Append("<h2>How to appeal</h2>\n<p>").Append(E(appeal.HowToAppeal)).Append("</p>\n<p>").Append(E(appeal.Expedited)).Append("</p>\n");
        }
        h.Append("<h2>The criteria</h2>\n<p>").Append(E(n.CriteriaAvailable)).Append("</p>\n");
        h.Append("</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static void Row(StringBuilder h, string term, string value) =>
        h.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private static string G(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
