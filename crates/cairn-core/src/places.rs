//! The towns where teams are based and sessions are held, with where they are, so that a
//! practitioner can ask for learning "within 30 miles" of their team. Island-proofed: a town
//! reached only by a sea crossing (Orkney, Shetland, the Western Isles, Mull, Arran, Bute) is
//! never "near" a town on the other side of the water, however short the straight line.

/// A town: stable id, name, latitude, longitude (degrees) and, for island towns, the group of
/// islands it shares without a ferry.
#[derive(Debug)]
pub struct Place {
    pub id: &'static str,
    pub name: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub island_group: Option<&'static str>,
}

const fn town(id: &'static str, name: &'static str, latitude: f64, longitude: f64) -> Place {
    Place {
        id,
        name,
        latitude,
        longitude,
        island_group: None,
    }
}

const fn island(
    id: &'static str,
    name: &'static str,
    latitude: f64,
    longitude: f64,
    group: &'static str,
) -> Place {
    Place {
        id,
        name,
        latitude,
        longitude,
        island_group: Some(group),
    }
}

/// Scotland's service towns first, then the other nations' largest cities. By name.
pub const PLACES: &[Place] = &[
    town("aberdeen", "Aberdeen", 57.149, -2.094),
    town("ayr", "Ayr", 55.458, -4.629),
    island(
        "balivanich",
        "Balivanich (Benbecula)",
        57.440,
        -7.360,
        "western-isles",
    ),
    town("belfast", "Belfast", 54.597, -5.930),
    town("birmingham", "Birmingham", 52.486, -1.890),
    island("brodick", "Brodick (Arran)", 55.577, -5.151, "arran"),
    town("campbeltown", "Campbeltown", 55.425, -5.605),
    town("cardiff", "Cardiff", 51.481, -3.179),
    town("carlisle", "Carlisle", 54.892, -2.932),
    town("dingwall", "Dingwall", 57.596, -4.428),
    town("dumfries", "Dumfries", 55.070, -3.605),
    town("dundee", "Dundee", 56.462, -2.971),
    town("dunfermline", "Dunfermline", 56.072, -3.452),
    town("dunoon", "Dunoon", 55.947, -4.925),
    town("edinburgh", "Edinburgh", 55.953, -3.188),
    town("elgin", "Elgin", 57.649, -3.318),
    town("falkirk", "Falkirk", 56.002, -3.784),
    town("forfar", "Forfar", 56.644, -2.889),
    town("fort-william", "Fort William", 56.820, -5.105),
    town("galashiels", "Galashiels", 55.617, -2.806),
    town("glasgow", "Glasgow", 55.864, -4.252),
    town("hamilton", "Hamilton", 55.777, -4.039),
    town("hawick", "Hawick", 55.422, -2.787),
    town("inverness", "Inverness", 57.478, -4.225),
    town("kilmarnock", "Kilmarnock", 55.611, -4.496),
    town("kirkcaldy", "Kirkcaldy", 56.110, -3.162),
    island("kirkwall", "Kirkwall (Orkney)", 58.981, -2.960, "orkney"),
    town("leeds", "Leeds", 53.801, -1.549),
    island("lerwick", "Lerwick (Shetland)", 60.155, -1.145, "shetland"),
    town("livingston", "Livingston", 55.902, -3.523),
    town("lochgilphead", "Lochgilphead", 56.038, -5.433),
    town("london", "London", 51.507, -0.128),
    town("manchester", "Manchester", 53.481, -2.243),
    town("newcastle", "Newcastle upon Tyne", 54.978, -1.617),
    town("oban", "Oban", 56.415, -5.472),
    town("paisley", "Paisley", 55.846, -4.423),
    town("perth", "Perth", 56.396, -3.437),
    town("peterhead", "Peterhead", 57.505, -1.780),
    // Skye is joined to the mainland by a bridge.
    town("portree", "Portree (Skye)", 57.412, -6.196),
    island("rothesay", "Rothesay (Bute)", 55.836, -5.055, "bute"),
    town("stirling", "Stirling", 56.117, -3.937),
    island(
        "stornoway",
        "Stornoway (Lewis)",
        58.209,
        -6.389,
        "western-isles",
    ),
    town("stranraer", "Stranraer", 54.903, -5.024),
    town("thurso", "Thurso", 58.593, -3.522),
    island("tobermory", "Tobermory (Mull)", 56.622, -6.068, "mull"),
    town("wick", "Wick", 58.439, -3.093),
];

/// The town with this id.
pub fn place(id: &str) -> Option<&'static Place> {
    PLACES.iter().find(|p| p.id == id)
}

/// Checks a town id, naming what is accepted.
pub fn check(id: &str) -> Result<&'static Place, String> {
    place(id).ok_or_else(|| {
        format!(
            "is not a town cairn knows; choose one of {}",
            PLACES.iter().map(|p| p.id).collect::<Vec<_>>().join(", ")
        )
    })
}

/// Straight-line distance in miles (haversine on a sphere of the Earth's mean radius).
pub fn miles_between(a: &Place, b: &Place) -> f64 {
    const EARTH_RADIUS_MILES: f64 = 3_958.8;
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat2 - lat1;
    let d_lon = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_MILES * h.sqrt().asin()
}

/// Whether `to` can be reached from `from` within `miles` without a sea crossing.
pub fn within(from: &Place, to: &Place, miles: f64) -> bool {
    from.island_group == to.island_group && miles_between(from, to) <= miles
}

/// The ids of every town within `miles` of `from` (itself included).
pub fn towns_within(from: &Place, miles: f64) -> Vec<&'static str> {
    PLACES
        .iter()
        .filter(|p| within(from, p, miles))
        .map(|p| p.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(id: &str) -> &'static Place {
        place(id).expect("known town")
    }

    #[test]
    fn distances_are_right_to_a_mile_or_two() {
        let miles = miles_between(at("edinburgh"), at("glasgow"));
        assert!((40.0..44.0).contains(&miles), "{miles}");
        let miles = miles_between(at("inverness"), at("aberdeen"));
        assert!((82.0..88.0).contains(&miles), "{miles}");
        assert_eq!(miles_between(at("perth"), at("perth")), 0.0);
    }

    #[test]
    fn the_sea_is_never_near() {
        // Kirkwall to Thurso is about 33 miles in a straight line but a ferry away.
        assert!(miles_between(at("kirkwall"), at("thurso")) < 40.0);
        assert!(!within(at("kirkwall"), at("thurso"), 50.0));
        assert!(within(at("stornoway"), at("stornoway"), 0.0));
        assert_eq!(towns_within(at("kirkwall"), 100.0), vec!["kirkwall"]);
        assert!(towns_within(at("stirling"), 30.0).contains(&"glasgow"));
    }

    #[test]
    fn ids_are_unique_sorted_and_checked() {
        for pair in PLACES.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        assert!(check("atlantis").expect_err("unknown").contains("kirkwall"));
    }
}
