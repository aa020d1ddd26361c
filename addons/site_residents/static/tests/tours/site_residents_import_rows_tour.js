import { registry } from "@web/core/registry";

function loadFile(name, text) {
    return {
        content: `Load ${name}`,
        trigger: ".o_control_panel .o_file_input_trigger",
        run() {
            const input = document.querySelector(".o_control_panel .o_input_file");
            const files = new DataTransfer();
            files.items.add(new File([text], name, { type: "text/csv" }));
            input.files = files.files;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

function test(stem) {
    return [
        {
            content: `${stem} is read`,
            trigger: `.o_import_data_sidepanel:contains('${stem}')`,
        },
        {
            content: "Test the import",
            trigger: ".o_control_panel button:contains('Test')",
            run: "click",
        },
    ];
}

// A manager imports units with mistakes: the import screen names each refused row
// by its number in the sheet (the header is row 1, blank rows count).
registry.category("web_tour.tours").add("site_residents_import_rows_tour", {
    url: "/odoo/action-site_residents.action_site_unit",
    steps: () => [
        {
            content: "Open the actions menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            content: "Import records",
            trigger: ".o_import_menu",
            run: "click",
        },
        loadFile(
            "land_shares.csv",
            "code,land_share_numerator,land_share_denominator\nT-1,10,480\n\nT-2,500,480\n"
        ),
        ...test("land_shares"),
        {
            content: "The refused unit is named with its row in the sheet",
            trigger: ".o_import_data_content:contains('Error at row 4'):contains('T-2')",
        },
        loadFile("types.csv", "code,type_id\nV-1,FLAT_2_1\nV-2,Penthouse 9+1\nV-3,SHOP\nV-4,Villa\n"),
        ...test("types"),
        {
            content: "Unknown unit types are named with their rows in the sheet",
            trigger: ".o_import_report:contains('Penthouse 9+1 at row 3'):contains('Villa at row 5')",
        },
    ],
});
