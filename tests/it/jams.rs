//! Jam series in the store: creation by the acting organizer, their list, the owner's count.

use jamie::{
    accounts::{self, Email},
    authorization::Principal,
    ids::SeriesId,
    jams::series::{self, Cost, Location, OrganizerRole, Series, SeriesError, Visibility},
};
use jamie_tests::spawn_app;

fn draft(name: &str) -> Series {
    Series {
        id: SeriesId::generate(),
        owner: jamie::ids::UserId::generate(),
        name: name.to_owned(),
        description: "Warm-up, then open jamming.".to_owned(),
        location: Location {
            venue: "Studio Nord".to_owned(),
            address: "Nordstraße 1, Berlin".to_owned(),
            latitude: None,
            longitude: None,
        },
        cost: Cost::Donation,
        capacity_base: 10,
        capacity_flyer: 10,
        start_time: "19:00".parse().unwrap(),
        duration_minutes: 120,
        time_zone: "Europe/Berlin".to_owned(),
        level_notes: String::new(),
        visibility: Visibility::Public,
        archived: false,
        created_at: jiff::Timestamp::UNIX_EPOCH,
    }
}

#[tokio::test]
async fn an_organizer_creates_series_and_owns_them() {
    let app = spawn_app().await;
    app.sign_in("org@example.org", "Org").await;
    let user = accounts::find_by_email(&app.ctx, &Email::parse("org@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    let principal = Principal::User(Box::new(jamie::authorization::Actor {
        user: user.clone(),
        session_id: "test".to_owned(),
    }));
    let tuesday = series::create(&app.ctx, &principal, draft("Tuesday Jam"))
        .await
        .unwrap();
    assert_eq!(
        tuesday.owner, user.id,
        "the acting user owns it, whatever the draft said"
    );
    series::create(&app.ctx, &principal, draft("Sunday Jam"))
        .await
        .unwrap();

    let mine = series::of_user(&app.ctx, &user.id).await.unwrap();
    let names: Vec<&str> = mine.iter().map(|(s, _)| s.name.as_str()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"Tuesday Jam") && names.contains(&"Sunday Jam"));
    assert!(mine.iter().all(|(_, role)| *role == OrganizerRole::Owner));
    let user = accounts::get(&app.ctx, &user.id).await.unwrap().unwrap();
    assert_eq!(user.series_count, 2);

    let anonymous = series::create(&app.ctx, &Principal::Anonymous, draft("Nope")).await;
    assert!(matches!(anonymous, Err(SeriesError::Denied(_))));
}
