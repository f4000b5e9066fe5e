// Label each cell of a table written out by hand with its column heading, so that on a small
// screen (see openlrs.css) every row reads as heading/value pairs.
for (const table of document.querySelectorAll("table.govuk-table")) {
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim())
  for (const row of table.querySelectorAll("tbody tr")) {
    ;[...row.children].forEach((cell, index) => {
      if (!cell.hasAttribute("data-label") && headings[index]) {
        cell.setAttribute("data-label", headings[index])
      }
    })
  }
}
