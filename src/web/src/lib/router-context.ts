// Qwik City's navigate function and location, handed down through our own contexts by the root layout: a component
// that reads them from here (e.g. `AppLink` or a page re-rendering on the client) does not import Qwik City
// (~3.3 KB gz); the router code loads only when navigating.
import { createContextId, useContext } from "@builder.io/qwik";
import type { RouteLocation, RouteNavigate } from "@builder.io/qwik-city";

export const AppNavigateContext = createContextId<RouteNavigate>("studio.navigate");
export const AppLocationContext = createContextId<RouteLocation>("studio.location");

export const useAppNavigate = (): RouteNavigate => useContext(AppNavigateContext);
export const useAppLocation = (): RouteLocation => useContext(AppLocationContext);
