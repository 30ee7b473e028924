using MgAuth.Api.Authorizations;
using MgAuth.Api.Crd;
using MgAuth.Api.DevIdentity;
using MgAuth.Api.Fhir;
using MgAuth.Api.Health;
using MgAuth.Api.Infrastructure;
using MgAuth.Api.Metrics;
using MgAuth.Api.Policies;
using MgAuth.Api.Review;
using MgAuth.Api.RulePacks;
using MgAuth.Api.Smart;
using MgAuth.Api.Security;
using MgAuth.Api.Subscriptions;
using MgAuth.Cases.Releases;

var builder = WebApplication.CreateBuilder(args);
// Staff:Authority, or in Development without one the embedded provider's issuer (before anything reads Staff:* or Smart:*).
var staff = builder.AddStaffAuthority();
builder.Services.AddMgAuth(builder.Configuration);
builder.Services.AddDevIdentity(staff);

var app = builder.Build();
app.UseMgAuth();
app.MapHealth();
app.MapMetricsScraping();
app.MapAuthorizations();
app.MapPolicies();
app.MapPriorAuthMetrics();
app.MapRulePacks();
app.MapReview();
app.MapFhir();
app.MapSubscriptions();
app.MapCrd();
app.MapSmart();
app.MapStaffSignIn();
app.MapDevIdentity();
await app.PrepareAsync();
await app.WriteDemoPeopleAsync();
app.Run();

public partial class Program;
