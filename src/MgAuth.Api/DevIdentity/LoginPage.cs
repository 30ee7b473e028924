using System.Net;
using System.Text;

namespace MgAuth.Api.DevIdentity;

/// <summary>
/// The embedded provider's sign-in page: the demo people, one button each, in a form that posts the authorization request
/// back with the choice and an antiforgery token. No script, no inline style: it passes a strict CSP.
/// </summary>
public static class LoginPage
{
    public const string PersonField = "person";

    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IResult Render(HttpContext http, IEnumerable<KeyValuePair<string, string?>> request, string antiforgeryField,
        string antiforgeryToken)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in · MgAuth (development)</title>")
            .Append("<link rel=\"stylesheet\" href=\"/app.css\"></head><body><main class=\"signin\">")
            .Append("<h1>Sign in to MgAuth</h1>")
            .Append("<p><strong>Development only.</strong> This is the service's embedded identity provider: anyone may sign in as ")
            .Append("any demo person by choosing their name. Configure <code>Staff:Authority</code> to use the plan's provider.</p>");
        html.Append("<form method=\"post\" action=\"").Append(Encode(http.Request.PathBase + http.Request.Path)).Append("\">");
        foreach (var (name, value) in request)
            if (name != PersonField && name != antiforgeryField && value is not null)
                html.Append("<input type=\"hidden\" name=\"").Append(Encode(name)).Append("\" value=\"").Append(Encode(value)).Append("\">");
        html.Append("<input type=\"hidden\" name=\"").Append(Encode(antiforgeryField)).Append("\" value=\"").Append(Encode(antiforgeryToken)).Append("\">");
        html.Append("<ul>");
        foreach (var person in DemoPeople.All)
            html.Append("<li><button type=\"submit\" name=\"").Append(PersonField).Append("\" value=\"").Append(Encode(person.Subject)).Append("\">")
                .Append(Encode(person.Name)).Append("</button> ").Append(Encode(person.Role.Replace('_', ' ')))
                .Append(person.Npi is null ? "" : $", NPI {person.Npi}").Append(" · ").Append(Encode(person.OrganizationId)).Append("</li>");
        html.Append("</ul></form></main></body></html>");

        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
