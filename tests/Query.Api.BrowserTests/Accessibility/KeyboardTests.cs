using System.Text.RegularExpressions;
using NUnit.Framework;
using Query.Api.BrowserTests.Support;

namespace Query.Api.BrowserTests.Accessibility;

[TestFixture]
public sealed class KeyboardTests : DashboardTest
{
    private const int MostTabs = 80;

    [Test]
    public async Task TheKeyboardAlone_ReachesTheListAndAWorkflow_WithFocusVisible()
    {
        await OpenOverviewAsync();

        await TabToAsync("a[data-nav=workflows]");
        Assert.That(await FocusOutlineAsync(), Is.Not.EqualTo("none"), "focus is visible");
        await Page.Keyboard.PressAsync("Enter");
        await WaitForListLoadAsync(0);
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Workflows");

        await TabToAsync("table.workflows tbody a");
        var href = await Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('href')");
        Assert.That(await FocusOutlineAsync(), Is.Not.EqualTo("none"), "focus is visible");
        await Page.Keyboard.PressAsync("Enter");

        await Expect(Page).ToHaveURLAsync(new Regex(Regex.Escape(href) + "$"));
        await Expect(Page.Locator("ol.journey")).ToBeVisibleAsync();
        await ScreenshotAsync("reached by keyboard");
    }

    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/>.</summary>
    private async Task TabToAsync(string selector)
    {
        for (var tabs = 0; tabs < MostTabs; tabs++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await Page.EvaluateAsync<bool>("selector => document.activeElement?.matches(selector) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"{MostTabs} presses of Tab never reached {selector}.");
    }

    private Task<string> FocusOutlineAsync() =>
        Page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
}
