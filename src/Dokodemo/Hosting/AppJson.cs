using System.Text.Json;
using System.Text.Json.Serialization;
using Dokodemo.Access;
using Dokodemo.Organization;

namespace Dokodemo.Hosting;

/// <summary>
/// Source-generated JSON for the API's responses: no reflection on the hot path (P1). A type missing here still
/// works through the reflection fallback, only slower.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<PersonDto>))]
[JsonSerializable(typeof(IReadOnlyList<DepartmentDto>))]
[JsonSerializable(typeof(IReadOnlyList<SiteDto>))]
[JsonSerializable(typeof(IReadOnlyList<UserSummary>))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(SignInResponse))]
[JsonSerializable(typeof(InviteLink))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
internal sealed partial class AppJson : JsonSerializerContext;
